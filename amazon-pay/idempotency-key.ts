import { createHash } from 'node:crypto';

/**
 * Amazon Pay keys are at most 32 of [A-Za-z0-9_-] (§6). The workflow makes a readable step key from its id, step
 * and cycle; this maps it to a key Amazon accepts, the same one on every attempt of the same step.
 */
export function amazonIdempotencyKey(stepKey: string): string {
  return createHash('sha256').update(stepKey).digest('base64url').slice(0, 32);
}
