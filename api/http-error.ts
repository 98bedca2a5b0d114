import type { ErrorRequestHandler } from 'express';
import { clientError } from '../common/request-errors';
import { createLogger } from '../common/logger';
import { unavailableDependency } from './dependency-deadline';

const log = createLogger('api');

/** An error with the HTTP status and the reason the caller should read. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly details?: Record<string, unknown>) {
    super(message);
  }
}

/**
 * The one error handler: the caller's mistakes (validation, body, path) → 4xx with the field and reason, HttpError →
 * its status, anything else → 500.
 */
export const errorHandler: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent) return next(err);
  const bad = clientError(err);
  if (bad) return void res.status(bad.status).json(bad.body);
  if (err instanceof HttpError) return void res.status(err.status).json({ error: err.message, ...err.details });
  const down = unavailableDependency(err);
  if (down) {
    log.warn('dependency unavailable', { method: req.method, path: req.path, dependency: down });
    return void res.status(503).set('Retry-After', '5').json({ error: `${down} did not answer in time; nothing is lost, retry later` });
  }
  log.error('request failed', { method: req.method, path: req.path, error: err instanceof Error ? err.message : String(err) });
  res.status(500).json({ error: 'internal error' });
};
