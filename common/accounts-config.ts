import { z } from 'zod';
import { parseKeyRing, type KeyRing } from '../accounts/account-crypto';
import { ConfigError } from './env';

/**
 * The keys that seal provider accounts: ACCOUNTS_KEYS lists `id:base64key` pairs (32-byte keys), ACCOUNTS_KEY_ID
 * names the one new records use. Without them this process keeps no accounts.
 */
const optionalText = z.string().optional().transform((v) => (v?.trim() ? v.trim() : undefined)); // compose passes unset as ''

export const accountsShape = {
  ACCOUNTS_KEYS: optionalText,
  ACCOUNTS_KEY_ID: optionalText,
};

export function keyRingFromConfig(config: { ACCOUNTS_KEYS?: string; ACCOUNTS_KEY_ID?: string }): KeyRing | undefined {
  if (!config.ACCOUNTS_KEYS && !config.ACCOUNTS_KEY_ID) return undefined;
  if (!config.ACCOUNTS_KEYS || !config.ACCOUNTS_KEY_ID) {
    throw new ConfigError(`invalid configuration:\n  ${config.ACCOUNTS_KEYS ? 'ACCOUNTS_KEY_ID' : 'ACCOUNTS_KEYS'}: missing (ACCOUNTS_KEYS and ACCOUNTS_KEY_ID go together)`);
  }
  try {
    return parseKeyRing(config.ACCOUNTS_KEYS, config.ACCOUNTS_KEY_ID);
  } catch (err) {
    // the message names a key id, never key material
    throw new ConfigError(`invalid configuration:\n  ACCOUNTS_KEYS: ${(err as Error).message}`);
  }
}
