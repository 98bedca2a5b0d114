import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** One sealed record: which key sealed it, the GCM nonce and tag, and the ciphertext (all base64 but the key id). */
export interface Sealed {
  keyId: string;
  nonce: string;
  ciphertext: string;
  tag: string;
}

export interface KeyRing {
  /** the key new records are sealed with */
  currentKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

/**
 * Parses `id:base64key,id2:base64key` (each key 32 bytes) and the current key id. Keys rotate by adding a new id,
 * making it current, and re-sealing: records keep the id of the key that sealed them, so old ones still open.
 */
export function parseKeyRing(spec: string, currentKeyId: string): KeyRing {
  const keys = new Map<string, Buffer>();
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const at = part.indexOf(':');
    const id = part.slice(0, at);
    if (at < 1 || !/^[A-Za-z0-9_.-]{1,64}$/.test(id)) throw new Error(`key "${part.slice(0, 12)}…": expected id:base64key`);
    const key = Buffer.from(part.slice(at + 1), 'base64');
    if (key.length !== 32) throw new Error(`key ${id}: must be 32 bytes of base64 (AES-256), got ${key.length}`);
    if (keys.has(id)) throw new Error(`key ${id} is listed twice`);
    keys.set(id, key);
  }
  if (keys.size === 0) throw new Error('no keys given');
  if (!keys.has(currentKeyId)) throw new Error(`the current key id ${currentKeyId} is not among the keys (${[...keys.keys()].join(', ')})`);
  return { currentKeyId, keys };
}

/** AES-256-GCM over bytes: a fresh 96-bit nonce, the ciphertext and the 128-bit tag. One cipher for every sealed thing. */
export function encryptGcm(key: Buffer, plaintext: Uint8Array, associatedData: Uint8Array): { nonce: Buffer; ciphertext: Buffer; tag: Buffer } {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(associatedData);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { nonce, ciphertext, tag: cipher.getAuthTag() };
}

/** The plaintext, or undefined when the tag does not match (tampered with, another key, other associated data). */
export function decryptGcm(key: Buffer, sealed: { nonce: Uint8Array; ciphertext: Uint8Array; tag: Uint8Array }, associatedData: Uint8Array): Buffer | undefined {
  if (sealed.nonce.length !== 12 || sealed.tag.length !== 16) return undefined;
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.nonce);
  decipher.setAAD(associatedData);
  decipher.setAuthTag(sealed.tag);
  try {
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch {
    return undefined;
  }
}

/**
 * AES-256-GCM with a fresh 96-bit nonce per record. The associated data binds a record to its owner (shop and
 * provider), so a ciphertext copied onto another shop's row does not open.
 */
export function seal(ring: KeyRing, plaintext: string, associatedData: string): Sealed {
  const { nonce, ciphertext, tag } = encryptGcm(ring.keys.get(ring.currentKeyId)!, Buffer.from(plaintext, 'utf8'), Buffer.from(associatedData, 'utf8'));
  return { keyId: ring.currentKeyId, nonce: nonce.toString('base64'), ciphertext: ciphertext.toString('base64'), tag: tag.toString('base64') };
}

export class SealedRecordError extends Error {
  override name = 'SealedRecordError';
}

export function open(ring: KeyRing, sealed: Sealed, associatedData: string): string {
  const key = ring.keys.get(sealed.keyId);
  if (!key) throw new SealedRecordError(`sealed with key ${sealed.keyId}, which this process does not have`);
  const b64 = (v: string) => Buffer.from(v, 'base64');
  const plaintext = decryptGcm(key, { nonce: b64(sealed.nonce), ciphertext: b64(sealed.ciphertext), tag: b64(sealed.tag) }, Buffer.from(associatedData, 'utf8'));
  if (!plaintext) throw new SealedRecordError('the record does not open: tampered with, or moved from another shop or provider');
  return plaintext.toString('utf8');
}
