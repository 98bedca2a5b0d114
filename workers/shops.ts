import { readFileSync } from 'node:fs';
import { createAuPayClient } from '../au-pay/client';
import { createAmazonPayClient } from '../amazon-pay/client';
import { ConfigError } from '../common/env';
import type { WorkerConfig } from '../common/config';
import type { AuPayShop } from '../activities/au-pay-activities';
import type { AmazonPayShop } from '../activities/amazon-pay-activities';

/**
 * The shops this worker serves and their provider clients, from configuration. Credentials stay in the worker's
 * memory: workflows carry only shop ids. (Stored, encrypted per-shop accounts come with the provider-accounts issue.)
 */
export function auPayShopsFromConfig(config: WorkerConfig) {
  const shop: AuPayShop = {
    notifyEmail: config.SHOP_NOTIFY_EMAIL,
    client: createAuPayClient({
      baseUrl: config.AUPAY_BASE_URL, shopId: config.AUPAY_SHOP_ID, apiKey: config.AUPAY_API_KEY, timeoutMs: config.AUPAY_TIMEOUT_MS,
    }),
  };
  return (shopId: string): AuPayShop | undefined => (shopId === config.SHOP_ID ? shop : undefined);
}

export function amazonPayShopsFromConfig(config: WorkerConfig) {
  const keyFile = config.AMAZONPAY_PRIVATE_KEY_FILE;
  if (!keyFile) return (): AmazonPayShop | undefined => undefined;
  let privateKey: string;
  try {
    privateKey = readFileSync(keyFile, 'utf8');
  } catch (err) {
    throw new ConfigError(`invalid configuration:\n  AMAZONPAY_PRIVATE_KEY_FILE: cannot read ${keyFile} (${(err as NodeJS.ErrnoException).code})`);
  }
  const shop: AmazonPayShop = {
    notifyEmail: config.SHOP_NOTIFY_EMAIL,
    client: createAmazonPayClient({
      baseUrl: config.AMAZONPAY_BASE_URL, host: config.AMAZONPAY_HOST, region: config.AMAZONPAY_REGION,
      environment: config.AMAZONPAY_ENVIRONMENT, publicKeyId: config.AMAZONPAY_PUBLIC_KEY_ID, privateKey, timeoutMs: config.AMAZONPAY_TIMEOUT_MS,
    }),
  };
  return (shopId: string): AmazonPayShop | undefined => (shopId === config.SHOP_ID ? shop : undefined);
}
