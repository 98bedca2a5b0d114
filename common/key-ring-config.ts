import { z } from 'zod';
import { parseKeyRing, type KeyRing } from './account-crypto';
import { ConfigError } from './env';

/** An optional variable; compose passes an unset one as ''. */
export const optionalText = z.string().optional().transform((v) => (v?.trim() ? v.trim() : undefined));

/**
 * A key ring from a pair of variables: `<keys>` lists `id:base64key` pairs (32-byte keys), `<current>` names the one
 * new things are sealed with. Both unset: no ring. One without the other, or a bad key: a ConfigError naming the
 * variable and a key id, never key material.
 */
export function keyRingFromVariables(names: { keys: string; current: string }, keys: string | undefined, current: string | undefined): KeyRing | undefined {
  if (!keys && !current) return undefined;
  if (!keys || !current) {
    throw new ConfigError(`invalid configuration:\n  ${keys ? names.current : names.keys}: missing (${names.keys} and ${names.current} go together)`);
  }
  try {
    return parseKeyRing(keys, current);
  } catch (err) {
    throw new ConfigError(`invalid configuration:\n  ${names.keys}: ${(err as Error).message}`);
  }
}
