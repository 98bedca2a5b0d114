import type { Pool } from 'pg';
import { getShop, getStoredSettings, isEnabledShop, type ShopRow } from '../db/shops';
import { PROCESS_SETTINGS, type ProcessSettings, type SettingsProcess } from './settings';

/** How long a read is reused: a change made through another process (another API, the worker) is seen within this. */
export const SHOP_CACHE_MS = 5_000;

export interface ShopDirectory {
  /** An enabled shop of this deployment. */
  isKnown(shopId: string): Promise<boolean>;
  /** The shop's record (addresses, mail routes), or undefined for a shop not in the table. */
  record(shopId: string): Promise<ShopRow | undefined>;
  /** A process's settings for the shop: what is stored, with the defaults for what is not. */
  settings<P extends SettingsProcess>(shopId: string, process: P): Promise<ProcessSettings<P>>;
  /** Drops what is cached for the shop: this process changed it, and its next read must see the change. */
  forget(shopId: string): void;
}

/**
 * Shops and their settings read from PostgreSQL, each read reused for at most SHOP_CACHE_MS, so a settings change
 * takes effect without a restart: at once in the process that made it, within 5 s everywhere else.
 */
export function createShopDirectory(db: Pick<Pool, 'query'>, o: { cacheMs?: number; now?: () => number } = {}): ShopDirectory {
  const cacheMs = o.cacheMs ?? SHOP_CACHE_MS;
  const now = o.now ?? Date.now;
  const cache = new Map<string, { at: number; value: Promise<unknown> }>();
  const cached = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    const hit = cache.get(key);
    if (hit && now() - hit.at < cacheMs) return hit.value as Promise<T>;
    const value = read();
    cache.set(key, { at: now(), value });
    value.catch(() => cache.delete(key)); // a failed read is not remembered
    return value;
  };
  return {
    isKnown: (shopId) => cached(`${shopId}\0known`, () => isEnabledShop(db, shopId)),
    record: (shopId) => cached(`${shopId}\0record`, () => getShop(db, shopId)),
    settings: (shopId, process) => cached(`${shopId}\0${process}`, async () =>
      PROCESS_SETTINGS[process].parse((await getStoredSettings(db, shopId, process)) ?? {}) as ProcessSettings<typeof process>),
    forget(shopId) {
      for (const key of cache.keys()) if (key.startsWith(`${shopId}\0`)) cache.delete(key);
    },
  };
}
