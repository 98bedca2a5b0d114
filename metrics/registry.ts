import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The process's own metrics: the business counters (metrics/business-events.ts) and, once a /metrics endpoint is
 * served, Node's default ones (process_start_time_seconds, CPU, memory, event loop lag, ...). One per process, so an
 * activity counts without being handed a registry.
 */
export const processRegistry = new Registry();

let defaults = false;

/** Turns on Node's default metrics in the process registry (once): done by whatever serves /metrics. */
export function collectProcessMetrics(): Registry {
  if (!defaults) {
    defaults = true;
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}
