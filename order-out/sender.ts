import { signHeaders } from './signature';
import type { OrderOutMessage } from './payload';

export interface SendOutcome {
  httpStatus: number | null;
  responseExcerpt: string | null;
  /** transport trouble (timeout, refused connection); null when an HTTP answer came */
  error: string | null;
  durationMs: number;
}

/**
 * One POST of one message to the shop's external system, signed (Standard Webhooks) with the message id as the
 * idempotency id, so a receiver can drop a repeat. Never throws: the caller records every outcome.
 */
/** Where a shop's external system receives order data OUT, and the secret its messages are signed with. */
export interface ExternalSystemEndpoint {
  url: string;
  secret: string;
}

export async function sendOrderOut(o: { url: string; secret: string | null; message: OrderOutMessage; timeoutMs: number; now: Date }): Promise<SendOutcome> {
  const body = JSON.stringify(o.message);
  const started = performance.now();
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'idempotency-key': o.message.id };
  if (o.secret) Object.assign(headers, signHeaders(o.secret, o.message.id, body, o.now));
  try {
    const res = await fetch(o.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(o.timeoutMs) });
    const text = await res.text();
    return { httpStatus: res.status, responseExcerpt: text.slice(0, 500), error: null, durationMs: Math.round(performance.now() - started) };
  } catch (err) {
    const e = err as Error & { cause?: Error };
    const error = e.name === 'TimeoutError' || e.name === 'AbortError' ? `no answer within ${o.timeoutMs} ms` : (e.cause?.message ?? e.message);
    return { httpStatus: null, responseExcerpt: null, error, durationMs: Math.round(performance.now() - started) };
  }
}

/** 2xx is delivered; 408, 425, 429 and 5xx may pass; any other answer is the receiver refusing this message. */
export const deliveryVerdict = (status: number | null): 'delivered' | 'retry' | 'rejected' =>
  status === null ? 'retry' : status >= 200 && status < 300 ? 'delivered' : status >= 500 || [408, 425, 429].includes(status) ? 'retry' : 'rejected';
