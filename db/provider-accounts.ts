import type { Pool } from 'pg';
import { open, seal, type KeyRing } from '../common/account-crypto';
import { maskAccount, PROVIDER_ACCOUNTS, type MaskedAccount, type Provider, type ProviderAccount } from '../accounts/provider-fields';

export interface AccountSummary {
  shopId: string;
  provider: Provider;
  fields: MaskedAccount;
  keyId: string;
  version: number;
  updatedAt: string;
}

const owner = (shopId: string, provider: string) => `provider-account:${shopId}:${provider}`;

/** Sealed per-shop provider accounts. Reads of secrets happen in activities only; the API sees summaries. */
export function createAccountStore(pool: Pool, ring: KeyRing) {
  return {
    /** Sets or replaces a shop's account with one provider (validated by the caller with PROVIDER_ACCOUNTS). */
    async put<P extends Provider>(shopId: string, provider: P, account: ProviderAccount<P>): Promise<AccountSummary> {
      const sealed = seal(ring, JSON.stringify(account), owner(shopId, provider));
      const masked = maskAccount(provider, account as Record<string, unknown>);
      const { rows } = await pool.query(
        `INSERT INTO provider_accounts (shop_id, provider, key_id, nonce, ciphertext, tag, masked)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (shop_id, provider) DO UPDATE SET key_id = EXCLUDED.key_id, nonce = EXCLUDED.nonce, ciphertext = EXCLUDED.ciphertext,
           tag = EXCLUDED.tag, masked = EXCLUDED.masked, version = provider_accounts.version + 1, updated_at = now()
         RETURNING key_id, version, updated_at`,
        [shopId, provider, sealed.keyId, sealed.nonce, sealed.ciphertext, sealed.tag, JSON.stringify(masked)],
      );
      const r = rows[0];
      return { shopId, provider, fields: masked, keyId: r.key_id, version: r.version, updatedAt: new Date(r.updated_at).toISOString() };
    },

    async describe(shopId: string): Promise<AccountSummary[]> {
      const { rows } = await pool.query(
        `SELECT provider, masked, key_id, version, updated_at FROM provider_accounts WHERE shop_id = $1 ORDER BY provider`, [shopId],
      );
      return rows.map((r) => ({ shopId, provider: r.provider, fields: r.masked, keyId: r.key_id, version: r.version, updatedAt: new Date(r.updated_at).toISOString() }));
    },

    /** The account with its secrets, for an activity about to call the provider; undefined when the shop has none. */
    async load<P extends Provider>(shopId: string, provider: P): Promise<ProviderAccount<P> | undefined> {
      const { rows } = await pool.query(
        `SELECT key_id, nonce, ciphertext, tag FROM provider_accounts WHERE shop_id = $1 AND provider = $2`, [shopId, provider],
      );
      const r = rows[0];
      if (!r) return undefined;
      const json = open(ring, { keyId: r.key_id, nonce: r.nonce, ciphertext: r.ciphertext, tag: r.tag }, owner(shopId, provider));
      return PROVIDER_ACCOUNTS[provider].fields.parse(JSON.parse(json)) as ProviderAccount<P>;
    },

    /** The shops with an account for a provider. */
    async shopsWith(provider: Provider): Promise<string[]> {
      const { rows } = await pool.query(`SELECT shop_id FROM provider_accounts WHERE provider = $1 ORDER BY shop_id`, [provider]);
      return rows.map((r) => r.shop_id as string);
    },

    /** Re-seals every record not sealed with the current key; returns how many were re-sealed. */
    async rotate(): Promise<number> {
      const { rows } = await pool.query(`SELECT shop_id, provider FROM provider_accounts WHERE key_id <> $1`, [ring.currentKeyId]);
      for (const r of rows) {
        const account = await this.load(r.shop_id, r.provider);
        if (!account) continue;
        const sealed = seal(ring, JSON.stringify(account), owner(r.shop_id, r.provider));
        await pool.query(
          `UPDATE provider_accounts SET key_id = $3, nonce = $4, ciphertext = $5, tag = $6 WHERE shop_id = $1 AND provider = $2`,
          [r.shop_id, r.provider, sealed.keyId, sealed.nonce, sealed.ciphertext, sealed.tag],
        );
      }
      return rows.length;
    },
  };
}

export type AccountStore = ReturnType<typeof createAccountStore>;
