import type { ErrorRequestHandler } from 'express';
import { badRequestBody } from '../../common/request-errors';

/** Control-plane input errors answer 400 with the field and the reason, never a stack trace. */
export const controlErrorHandler: ErrorRequestHandler = (err, _req, res, next) => {
  if (res.headersSent) return next(err);
  const bad = badRequestBody(err);
  if (bad) return void res.status(400).json(bad);
  res.status(500).json({ error: err instanceof Error ? err.message : String(err) });
};
