import type { RequestHandler } from 'express';
import { Histogram, type Registry } from 'prom-client';
import { routeTemplate } from './route-template';

/**
 * Every HTTP request's duration, by method, route template and status (its `_count` is the request count), observed
 * when the answer is finished or the client went away.
 */
export function httpMetrics(registry: Registry): RequestHandler {
  const duration = new Histogram({
    name: 'renkei_http_request_duration_seconds',
    help: 'HTTP requests to the API by method, route template and status, with their duration',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return (req, res, next) => {
    const end = duration.startTimer();
    res.once('close', () => end({ method: req.method, route: routeTemplate(req), status: String(res.statusCode) }));
    next();
  };
}
