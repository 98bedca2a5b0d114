import type { Pool } from 'pg';
import { insertSettingsIfMissing, insertShop } from '../db/shops';
import { seedPaymentMethodsIfNone } from '../db/order-cancel';
import { createLogger } from '../common/logger';
import { PROCESS_SETTINGS, type SettingsProcess } from './settings';

const log = createLogger('shops');

/**
 * The deployment's configured shop (SHOP_ID, `demo-shop` by default) is a shop like any other: on the first start its
 * record is created with SHOP_NOTIFY_EMAIL, and the business variables still in the environment seed its settings.
 * Only when missing: from then on the shop is changed through the API, and the variables are read no more. The API
 * and the worker both seed, whichever starts first.
 */
export async function seedConfiguredShop(
  db: Pick<Pool, 'query'>,
  shop: { shopId: string; notifyEmail: string },
  seeds: Partial<Record<SettingsProcess, unknown>> = {},
): Promise<void> {
  if (await insertShop(db, { id: shop.shopId, name: shop.shopId, adminEmails: [], notifyEmail: shop.notifyEmail, mailRoutes: {} })) {
    log.info('shop created from the configuration', { shopId: shop.shopId });
  }
  for (const [process, seed] of Object.entries(seeds) as Array<[SettingsProcess, unknown]>) {
    const parsed = PROCESS_SETTINGS[process].safeParse(seed);
    if (!parsed.success) {
      log.warn('configured settings not seeded: they do not pass the shop settings schema', { shopId: shop.shopId, process, error: parsed.error.message });
      continue;
    }
    if (await insertSettingsIfMissing(db, shop.shopId, process, parsed.data)) log.info('shop settings seeded from the configuration', { shopId: shop.shopId, process });
  }
  // its payment methods, so a cancel reaches the provider (取消API連携フラグ on) instead of stopping for want of settings
  if (await seedPaymentMethodsIfNone(db, shop.shopId, CONFIGURED_SHOP_PAYMENT_METHODS)) log.info('shop payment methods seeded', { shopId: shop.shopId });
}

/** The configured shop's first payment methods (the README's cancel walkthrough uses credit-gmo-pg). */
export const CONFIGURED_SHOP_PAYMENT_METHODS = [
  { paymentMethod: 'credit-gmo-pg', provider: 'gmo-pg', cancelApi: true, amountChangeApi: true, autoCancelOnNg: false },
  { paymentMethod: 'amazon-pay', provider: 'amazon-pay', cancelApi: true, amountChangeApi: true, autoCancelOnNg: false },
] as const satisfies ReadonlyArray<Parameters<typeof seedPaymentMethodsIfNone>[2][number]>;

/** "10 minutes", "30 s", "2 hours" (YAHOO_SWEEP_EVERY) as whole minutes, at least 1. */
export function everyMinutes(every: string): number {
  const [, n, unit] = /^(\d+)\s*([a-z]+)$/.exec(every.trim()) ?? [];
  const value = Number(n);
  const minutes = unit?.startsWith('h') ? value * 60 : unit?.startsWith('m') ? value : value / 60;
  return Math.max(1, Math.ceil(minutes));
}
