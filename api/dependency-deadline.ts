import type { RequestHandler } from 'express';
import type { Client } from '@temporalio/client';

/**
 * Every Temporal call a request makes shares one deadline, so a Temporal that does not answer costs the caller a
 * few seconds and a 503, never the client's own retries for 5–21 s and a 500.
 */
export function temporalDeadline(temporal: Client, ms: number): RequestHandler {
  return (_req, _res, next) => void temporal.withDeadline(Date.now() + ms, async () => next());
}

const UNAVAILABLE_GRPC = new Set([4 /* DEADLINE_EXCEEDED */, 14 /* UNAVAILABLE */]);
const UNAVAILABLE_NET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P03', '08006', '08001']);

/** Which dependency did not answer, when that is why a request failed: the caller should retry later (503). */
export function unavailableDependency(err: unknown): 'Temporal' | 'PostgreSQL' | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 6; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number' && UNAVAILABLE_GRPC.has(code)) return 'Temporal';
    if (typeof code === 'string' && UNAVAILABLE_NET.has(code)) return 'PostgreSQL';
    const message = e instanceof Error ? e.message : '';
    if (/Connection terminated|timeout exceeded when trying to connect/i.test(message)) return 'PostgreSQL';
    if (/Failed to connect to Temporal server|DEADLINE_EXCEEDED|UNAVAILABLE/i.test(message)) return 'Temporal';
  }
  return undefined;
}
