import { Router, type RequestHandler } from 'express';
import { Registry } from 'prom-client';
import type { Pool } from 'pg';
import { attentionGauge } from './attention-gauge';
import { httpMetrics } from './http-metrics';
import { collectProcessMetrics } from './registry';

/**
 * The API's Prometheus metrics: its HTTP requests (this app's own registry, so two apps in one process count apart),
 * the attention list's size, and the process's (operator actions, Node's defaults). `measure` goes first, so every
 * request is seen; `routes` serves GET /metrics, mounted before authentication (Prometheus holds no operator token:
 * reach it through the network, as /health).
 */
export function apiMetrics(db: Pick<Pool, 'query'>): { measure: RequestHandler; routes: Router } {
  const own = new Registry();
  const measure = httpMetrics(own);
  attentionGauge(own, db);
  const process = collectProcessMetrics();
  const routes = Router();
  routes.get('/metrics', async (_req, res) => {
    const merged = Registry.merge([own, process]);
    res.type(merged.contentType).send(await merged.metrics());
  });
  return { measure, routes };
}
