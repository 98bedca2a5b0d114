import type { EmulatorKit } from '../../sandbox/toolkit/emulator-kit';
import { verifySignature } from '../../order-out/signature';

/** Its one wire operation: the fault rules' name and the ledger's. */
export const EXTERNAL_SYSTEM_OPERATIONS = ['receive'] as const;
export type ExternalSystemOperation = (typeof EXTERNAL_SYSTEM_OPERATIONS)[number];
const RECEIVE: ExternalSystemOperation = 'receive';

export interface Endpoint {
  name: string;
  /** the signing secret deliveries must carry; null accepts unsigned ones */
  secret: string | null;
}

export interface ReceivedDelivery {
  seq: number;
  endpoint: string;
  at: string;
  id: string | null;
  event: string | null;
  orderId: string | null;
  /** the same webhook-id came before */
  duplicate: boolean;
  signature: 'valid' | 'unsigned' | string;
  accepted: boolean;
  body: unknown;
  /** the request as it came, for checking signatures with other tools */
  raw: string;
  headers: Record<string, string>;
}

const parseJson = (raw: string): Record<string, unknown> | null => {
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/** The shop's external system in a box: endpoints with their secrets, and every delivery they received. */
export class Receiver {
  readonly endpoints = new Map<string, Endpoint>();
  private received: ReceivedDelivery[] = [];

  constructor(private readonly kit: EmulatorKit) {}

  register(e: Endpoint): void {
    this.endpoints.set(e.name, e);
  }

  /** Verifies and records one POST; the answer says whether it was accepted and why not. */
  receive(name: string, headers: Record<string, string | undefined>, raw: string): { status: number; body: Record<string, unknown> } {
    const endpoint = this.endpoints.get(name);
    if (!endpoint) return { status: 404, body: { error: `no endpoint ${name}` } };
    const parsed = parseJson(raw);
    const now = this.kit.clock.now();
    let signature = 'unsigned';
    if (endpoint.secret) {
      const v = verifySignature(endpoint.secret, headers, raw, now);
      signature = v.ok ? 'valid' : v.reason;
    }
    const id = headers['webhook-id'] ?? headers['idempotency-key'] ?? null;
    const duplicate = id !== null && this.received.some((r) => r.endpoint === name && r.id === id && r.accepted);
    const accepted = parsed !== null && (signature === 'valid' || (!endpoint.secret && signature === 'unsigned'));
    const delivery: ReceivedDelivery = {
      seq: this.received.length + 1, endpoint: name, at: now.toISOString(), id,
      event: typeof parsed?.event === 'string' ? parsed.event : null, orderId: typeof parsed?.orderId === 'string' ? parsed.orderId : null,
      duplicate, signature, accepted, body: parsed ?? raw.slice(0, 2000), raw: raw.slice(0, 100_000),
      headers: Object.fromEntries(Object.entries(headers).filter(([k, v]) => v !== undefined && (k.startsWith('webhook-') || k === 'idempotency-key' || k === 'content-type'))) as Record<string, string>,
    };
    this.received.push(delivery);
    this.kit.ledger.record({ operation: RECEIVE, orderId: delivery.orderId ?? '', applied: accepted && !duplicate, effect: delivery.event ?? 'unreadable', key: id ?? undefined }, now);
    if (parsed === null) return { status: 400, body: { error: 'the body is not JSON' } };
    if (!accepted) return { status: 401, body: { error: `signature refused: ${signature}` } };
    return { status: 200, body: { received: id, duplicate } };
  }

  list(filter: { endpoint?: string; orderId?: string } = {}): ReceivedDelivery[] {
    return this.received.filter((r) => (!filter.endpoint || r.endpoint === filter.endpoint) && (!filter.orderId || r.orderId === filter.orderId));
  }

  reset(): void {
    this.endpoints.clear();
    this.received = [];
  }
}
