import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';
import { createLogger } from '../common/logger';

const log = createLogger('api');

/** An error with the HTTP status and the reason the caller should read. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly details?: Record<string, unknown>) {
    super(message);
  }
}

/** The one error handler: validation → 400 with field and reason, HttpError → its status, anything else → 500. */
export const errorHandler: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err instanceof ZodError) {
    res.status(400).json({
      error: 'invalid request',
      issues: err.issues.map((i) => ({ field: i.path.join('.') || '(body)', reason: i.message })),
    });
    return;
  }
  if (err instanceof HttpError) {
    res.status(err.status).json({ error: err.message, ...err.details });
    return;
  }
  if (err && typeof err === 'object' && 'type' in err && err.type === 'entity.parse.failed') {
    res.status(400).json({ error: 'body is not valid JSON' });
    return;
  }
  log.error('request failed', { method: req.method, path: req.path, error: err instanceof Error ? err.message : String(err) });
  res.status(500).json({ error: 'internal error' });
};
