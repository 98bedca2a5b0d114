import express, { type Express } from 'express';
import { createLogger } from '../common/logger';
import { collectProcessMetrics } from './registry';

const log = createLogger('metrics');

/**
 * The worker's /metrics: its own (business counters, Node's defaults) followed by the Temporal SDK's (temporal_*),
 * read from the SDK's exporter on loopback at each scrape, so Prometheus scrapes one target per worker. Without the
 * SDK's answer (it starts with the worker's first connection) the worker's own are served, with a comment saying so.
 */
export function createWorkerMetricsApp(o: { sdkMetricsUrl: string; sdkTimeoutMs?: number }): Express {
  const registry = collectProcessMetrics();
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', async (_req, res) => {
    const [own, sdk] = await Promise.all([registry.metrics(), readSdkMetrics(o.sdkMetricsUrl, o.sdkTimeoutMs ?? 2_000)]);
    res.type(registry.contentType).send(`${own}\n${sdk}`);
  });
  app.use((_req, res) => {
    res.status(404).type('text/plain').send('GET /metrics\n');
  });
  return app;
}

async function readSdkMetrics(url: string, timeoutMs: number): Promise<string> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return await res.text();
  } catch (err) {
    log.warn('the Temporal SDK metrics did not answer', { url, error: (err as Error).message });
    return '# the Temporal SDK metrics did not answer\n';
  }
}
