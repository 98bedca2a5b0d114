import { createHash } from 'node:crypto';

/**
 * Idempotency (§6): per environment, a key remembers the first request's fingerprint and the response it got,
 * forever (Amazon keeps keys indefinitely). The same request again gets that response again, byte for byte; the
 * same key with any other request is 400 DuplicateIdempotencyKey. 2xx and 4xx answers are saved; 429 and 5xx are
 * not, so that a transport retry with the same key can still succeed (ASSUMED, §6). Operations run synchronously
 * here, so two requests with one key are never in flight together.
 */
export interface SavedResponse {
  status: number;
  body: string;
}

export type IdempotencyLookup = { kind: 'new' } | { kind: 'replay'; saved: SavedResponse } | { kind: 'conflict' };

export const isSaved = (status: number): boolean => status < 500 && status !== 429;

/** JSON with sorted keys, so that the same request serialized in another key order is still the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestFingerprint(operation: string, resourceId: string | undefined, body: unknown): string {
  return createHash('sha256').update(`${operation}\n${resourceId ?? ''}\n${canonicalJson(body)}`).digest('hex');
}

export class IdempotencyKeys {
  private readonly saved = new Map<string, SavedResponse & { fingerprint: string }>();

  lookup(scope: string, key: string, fingerprint: string): IdempotencyLookup {
    const hit = this.saved.get(`${scope}\n${key}`);
    if (!hit) return { kind: 'new' };
    if (hit.fingerprint !== fingerprint) return { kind: 'conflict' };
    return { kind: 'replay', saved: { status: hit.status, body: hit.body } };
  }

  save(scope: string, key: string, fingerprint: string, response: SavedResponse): void {
    if (isSaved(response.status)) this.saved.set(`${scope}\n${key}`, { fingerprint, ...response });
  }

  reset(): void {
    this.saved.clear();
  }
}
