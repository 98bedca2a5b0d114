import { createHash, randomBytes } from 'node:crypto';

/**
 * An operator's API token: 256 random bits, prefixed so a leaked one is recognisable in a scan. Only its SHA-256 is
 * stored; a slow hash adds nothing for a secret this strong, and a fast one keeps each request's lookup cheap.
 */
export function newToken(): { token: string; hash: string } {
  const token = `rk_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token) };
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export const newId = (prefix: string): string => `${prefix}_${randomBytes(9).toString('base64url')}`;
