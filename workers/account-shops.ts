import { createHash } from 'node:crypto';
import type { ShopLookup } from '../activities/provider-shop';
import type { Provider, ProviderAccount } from '../accounts/provider-fields';
import type { AccountStore } from '../db/provider-accounts';

/**
 * A shop's client for one provider, built from its sealed account when it has one (seed 003), else from this
 * worker's configuration. Accounts are read at most every `refreshMs`; a client is rebuilt only when its account
 * changed, so a token provider (Yahoo) keeps its access token across calls.
 */
export function shopsFromAccounts<P extends Provider, S>(o: {
  accounts: AccountStore | undefined;
  provider: P;
  build: (account: ProviderAccount<P>, shopId: string) => S;
  fallback: (shopId: string) => S | undefined;
  refreshMs?: number;
  /** false: a shop with no client is looked up again at the next call (default: kept as long as a client) */
  rememberMissing?: boolean;
  now?: () => number;
}): ShopLookup<S> {
  const now = o.now ?? Date.now;
  const cache = new Map<string, { readAt: number; digest: string | null; shop: S | undefined }>();
  return async (shopId) => {
    if (!o.accounts) return o.fallback(shopId);
    const cached = cache.get(shopId);
    if (cached && now() - cached.readAt < (o.refreshMs ?? 30_000)) return cached.shop;
    const account = await o.accounts.load(shopId, o.provider);
    const digest = account ? createHash('sha256').update(JSON.stringify(account)).digest('hex') : null;
    const shop = cached && cached.digest === digest ? cached.shop : account ? o.build(account, shopId) : o.fallback(shopId);
    if (shop !== undefined || o.rememberMissing !== false) cache.set(shopId, { readAt: now(), digest, shop });
    else cache.delete(shopId);
    return shop;
  };
}
