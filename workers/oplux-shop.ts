import type { WorkerConfig } from '../common/config';
import type { ProviderAccount } from '../accounts/provider-fields';
import { createOpluxClient } from '../oplux/client';
import type { OpluxShop } from '../activities/oplux-review-activities';
import { onlyConfiguredShop } from './shops';

/** The shop's O-PLUX client and review settings, from its account fields (加盟店ID, 接続元ID, secret). */
export const opluxShop = (config: WorkerConfig, a: ProviderAccount<'oplux'>): OpluxShop => ({
  notifyEmail: config.SHOP_NOTIFY_EMAIL,
  client: createOpluxClient({
    eventUrl: config.OPLUX_EVENT_URL, normalizerUrl: config.OPLUX_NORMALIZER_URL, shopId: a.merchantId,
    connectionId: a.accessId, secretKey: a.secret, timeoutMs: config.OPLUX_TIMEOUT_MS,
  }),
  settings: { ...config.OPLUX_SETTINGS, orderOutControl: config.OPLUX_ORDER_OUT_CONTROL, productKey: config.OPLUX_PRODUCT_KEY },
});

/** From configuration: no OPLUX_SHOP_ID, no O-PLUX for the configured shop. */
export function opluxShopsFromConfig(config: WorkerConfig) {
  if (!config.OPLUX_SHOP_ID) return onlyConfiguredShop<OpluxShop>(config, undefined);
  return onlyConfiguredShop(config, opluxShop(config, { merchantId: config.OPLUX_SHOP_ID, accessId: config.OPLUX_CONNECTION_ID, secret: config.OPLUX_SECRET_KEY }));
}
