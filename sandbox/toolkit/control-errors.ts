import type { ErrorRequestHandler } from 'express';
import { clientError } from '../../common/request-errors';

/** Control-plane input errors answer 4xx with the field and the reason, never a stack trace. */
export const controlErrorHandler: ErrorRequestHandler = (err, _req, res, next) => {
  if (res.headersSent) return next(err);
  const bad = clientError(err);
  if (bad) return void res.status(bad.status).json(bad.body);
  res.status(500).json({ error: err instanceof Error ? err.message : String(err) });
};
