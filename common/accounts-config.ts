import type { KeyRing } from './account-crypto';
import { keyRingFromVariables, optionalText } from './key-ring-config';

/**
 * The keys that seal provider accounts: ACCOUNTS_KEYS lists `id:base64key` pairs (32-byte keys), ACCOUNTS_KEY_ID
 * names the one new records use. Without them this process keeps no accounts.
 */
export const accountsShape = {
  ACCOUNTS_KEYS: optionalText,
  ACCOUNTS_KEY_ID: optionalText,
};

export function keyRingFromConfig(config: { ACCOUNTS_KEYS?: string; ACCOUNTS_KEY_ID?: string }): KeyRing | undefined {
  return keyRingFromVariables({ keys: 'ACCOUNTS_KEYS', current: 'ACCOUNTS_KEY_ID' }, config.ACCOUNTS_KEYS, config.ACCOUNTS_KEY_ID);
}
