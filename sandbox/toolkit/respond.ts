import type { Response } from 'express';
import type { EmulatorKit } from './emulator-kit';

export interface WireResponse {
  status: number;
  contentType: string;
  body: string;
}

const DEFAULT_TIMEOUT_HOLD_MS = 30_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Plain gateway answers for injected HTTP errors, as a load balancer in front of a real API would give. */
function gatewayError(status: number): WireResponse {
  const text = status === 429 ? 'Too Many Requests' : status === 503 ? 'Service Unavailable' : `HTTP ${status}`;
  return { status, contentType: 'text/html; charset=utf-8', body: `<html><body><h1>${status} ${text}</h1></body></html>` };
}

/**
 * Runs one wire operation under the emulator's fault rules and sends its answer. The operation itself runs only
 * when no fault prevents it, so an injected 5xx never changes state, and a timeout `afterEffect` changes it and then
 * drops the connection, exactly the ambiguity a real client meets.
 */
export async function respondWithFaults(
  res: Response,
  kit: EmulatorKit,
  operation: string,
  run: () => WireResponse,
): Promise<void> {
  const fault = kit.faults.take(operation);
  if (fault?.kind === 'error') return send(res, gatewayError(fault.status ?? 500));
  if (fault?.kind === 'timeout' && !fault.afterEffect) return hangUp(res, fault.delayMs);
  const answer = run();
  if (fault?.kind === 'timeout') return hangUp(res, fault.delayMs);
  if (fault?.kind === 'slow') await sleep(fault.delayMs ?? 1000);
  send(res, answer);
}

function send(res: Response, answer: WireResponse): void {
  res.status(answer.status).type(answer.contentType).send(answer.body);
}

async function hangUp(res: Response, delayMs = DEFAULT_TIMEOUT_HOLD_MS): Promise<void> {
  await sleep(delayMs);
  res.socket?.destroy();
}
