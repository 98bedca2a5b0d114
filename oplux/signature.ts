import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The O-PLUX request signature (docs/providers/oplux.md §2), shared by our client and our emulator so both sides
 * hash the same bytes: UPPER_HEX(hash(connectionId + shopId + request_datetime + secretKey)). The connection id is
 * never sent; the server knows it per shop.
 */
export type OpluxHashMethod = 'SHA256' | 'SHA1';
export const HASH_METHODS: readonly OpluxHashMethod[] = ['SHA256', 'SHA1'];

export interface SignatureInput {
  connectionId: string;
  shopId: string;
  /** YYYY/MM/DD HH:MM:SS in JST, exactly as sent in `request.request_datetime` */
  requestDatetime: string;
  secretKey: string;
  hashMethod: OpluxHashMethod;
}

export function sign(input: SignatureInput): string {
  const algorithm = input.hashMethod === 'SHA1' ? 'sha1' : 'sha256';
  return createHash(algorithm)
    .update(`${input.connectionId}${input.shopId}${input.requestDatetime}${input.secretKey}`, 'utf8')
    .digest('hex')
    .toUpperCase();
}

/** Constant-time comparison; the hex case is ignored because only its value is meaningful. */
export function signatureMatches(input: SignatureInput, given: string): boolean {
  const expected = Buffer.from(sign(input), 'utf8');
  const actual = Buffer.from(given.toUpperCase(), 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** An instant as O-PLUX writes it: YYYY/MM/DD HH:MM:SS in JST. */
export function opluxDatetime(at: Date): string {
  const iso = new Date(at.getTime() + JST_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10).replace(/-/g, '/')} ${iso.slice(11, 19)}`;
}

/** Reads YYYY/MM/DD HH:MM:SS (JST); null when it is not that shape or not a real instant. */
export function parseOpluxDatetime(text: string): Date | null {
  const m = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+09:00`;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) || opluxDatetime(at) !== text.trim() ? null : at;
}
