import type { WorkerConfig } from '../common/config';
import { createOpluxClient } from '../oplux/client';
import type { OpluxShop } from '../activities/oplux-review-activities';

/**
 * The shop's O-PLUX client and review settings from configuration; no OPLUX_SHOP_ID, no O-PLUX. The secret stays in
 * the worker's memory: workflows carry only shop and order ids and the order's review data.
 */
export function opluxShopsFromConfig(config: WorkerConfig) {
  if (!config.OPLUX_SHOP_ID) return (): OpluxShop | undefined => undefined;
  const shop: OpluxShop = {
    notifyEmail: config.SHOP_NOTIFY_EMAIL,
    client: createOpluxClient({
      eventUrl: config.OPLUX_EVENT_URL, normalizerUrl: config.OPLUX_NORMALIZER_URL, shopId: config.OPLUX_SHOP_ID,
      connectionId: config.OPLUX_CONNECTION_ID, secretKey: config.OPLUX_SECRET_KEY, timeoutMs: config.OPLUX_TIMEOUT_MS,
    }),
    settings: { ...config.OPLUX_SETTINGS, orderOutControl: config.OPLUX_ORDER_OUT_CONTROL, productKey: config.OPLUX_PRODUCT_KEY },
  };
  return (shopId: string): OpluxShop | undefined => (shopId === config.SHOP_ID ? shop : undefined);
}
