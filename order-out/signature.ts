import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Order data OUT is signed the Standard Webhooks way (standardwebhooks.com), so a shop's developers can verify it
 * with any of that spec's libraries: headers `webhook-id` (our idempotency id), `webhook-timestamp` (Unix seconds)
 * and `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`. The secret is `whsec_` + base64 of the
 * key bytes; a secret without the prefix is used as UTF-8 bytes.
 */
export const SIGNATURE_HEADERS = { id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' } as const;

const keyOf = (secret: string): Buffer => (secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret, 'utf8'));

export function signatureOf(secret: string, id: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', keyOf(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
}

export function signHeaders(secret: string, id: string, body: string, at: Date): Record<string, string> {
  const timestamp = Math.floor(at.getTime() / 1000);
  return {
    [SIGNATURE_HEADERS.id]: id,
    [SIGNATURE_HEADERS.timestamp]: String(timestamp),
    [SIGNATURE_HEADERS.signature]: `v1,${signatureOf(secret, id, timestamp, body)}`,
  };
}

export type Verification = { ok: true } | { ok: false; reason: string };

/** Checks a delivery as a receiver should: all three headers, a timestamp within tolerance, one matching v1 signature. */
export function verifySignature(
  secret: string, headers: Record<string, string | undefined>, body: string, now: Date, toleranceSeconds = 300,
): Verification {
  const id = headers[SIGNATURE_HEADERS.id];
  const ts = headers[SIGNATURE_HEADERS.timestamp];
  const sigs = headers[SIGNATURE_HEADERS.signature];
  if (!id || !ts || !sigs) return { ok: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature' };
  const timestamp = Number(ts);
  if (!Number.isInteger(timestamp)) return { ok: false, reason: 'webhook-timestamp is not Unix seconds' };
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return { ok: false, reason: 'webhook-timestamp is outside the tolerance' };
  const expected = Buffer.from(signatureOf(secret, id, timestamp, body), 'base64');
  // several space-separated signatures may come during a secret rotation; one match is enough
  for (const candidate of sigs.split(' ')) {
    const [version, value] = candidate.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true };
  }
  return { ok: false, reason: 'no matching v1 signature' };
}
