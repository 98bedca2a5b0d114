import { createAuPayClient } from '../au-pay/client';
import type { WorkerConfig } from '../common/config';
import type { AuPayShop } from '../activities/au-pay-activities';

/**
 * The shops this worker serves and their au PAY accounts, from configuration. Credentials stay in the worker's
 * memory: workflows carry only shop ids. (Stored, encrypted per-shop accounts come with the provider-accounts issue.)
 */
export function shopsFromConfig(config: Pick<WorkerConfig, 'SHOP_ID' | 'SHOP_NOTIFY_EMAIL' | 'AUPAY_BASE_URL' | 'AUPAY_SHOP_ID' | 'AUPAY_API_KEY' | 'AUPAY_TIMEOUT_MS'>) {
  const shop: AuPayShop = {
    notifyEmail: config.SHOP_NOTIFY_EMAIL,
    client: createAuPayClient({
      baseUrl: config.AUPAY_BASE_URL, shopId: config.AUPAY_SHOP_ID, apiKey: config.AUPAY_API_KEY, timeoutMs: config.AUPAY_TIMEOUT_MS,
    }),
  };
  return (shopId: string): AuPayShop | undefined => (shopId === config.SHOP_ID ? shop : undefined);
}
