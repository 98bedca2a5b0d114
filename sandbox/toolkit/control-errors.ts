import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';

/** Control-plane input errors answer 400 with the field and the reason, never a stack trace. */
export const controlErrorHandler: ErrorRequestHandler = (err, _req, res, next) => {
  if (res.headersSent) return next(err);
  if (err instanceof ZodError) {
    res.status(400).json({
      error: 'invalid request',
      issues: err.issues.map((i) => ({ field: i.path.join('.') || '(body)', reason: i.message })),
    });
    return;
  }
  if (err && typeof err === 'object' && 'type' in err && err.type === 'entity.parse.failed') {
    res.status(400).json({ error: 'body is not valid JSON' });
    return;
  }
  res.status(500).json({ error: err instanceof Error ? err.message : String(err) });
};
