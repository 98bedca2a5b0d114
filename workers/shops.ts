import { readFileSync } from 'node:fs';
import { createAuPayClient } from '../au-pay/client';
import { createAmazonPayClient } from '../amazon-pay/client';
import { ConfigError } from '../common/env';
import type { WorkerConfig } from '../common/config';
import type { ProviderAccount } from '../accounts/provider-fields';
import type { AuPayShop } from '../activities/au-pay-activities';
import type { AmazonPayShop } from '../activities/amazon-pay-activities';

/**
 * Each provider's shop from its account fields (seed 003): the same builder serves a sealed account and the
 * deployment's environment variables. Credentials stay in the worker's memory: workflows carry only shop ids.
 */
export const auPayShop = (config: WorkerConfig, a: Pick<ProviderAccount<'au-pay'>, 'shopId' | 'apiKey'>): AuPayShop => ({
  notifyEmail: config.SHOP_NOTIFY_EMAIL,
  client: createAuPayClient({ baseUrl: config.AUPAY_BASE_URL, shopId: a.shopId, apiKey: a.apiKey, timeoutMs: config.AUPAY_TIMEOUT_MS }),
});

export const amazonPayShop = (config: WorkerConfig, a: Pick<ProviderAccount<'amazon-pay'>, 'publicKeyId' | 'privateKey' | 'region' | 'environment'>): AmazonPayShop => ({
  notifyEmail: config.SHOP_NOTIFY_EMAIL,
  client: createAmazonPayClient({
    baseUrl: config.AMAZONPAY_BASE_URL, host: config.AMAZONPAY_HOST, region: a.region, environment: a.environment,
    publicKeyId: a.publicKeyId, privateKey: a.privateKey, timeoutMs: config.AMAZONPAY_TIMEOUT_MS,
  }),
});

/** The configured shop's lookup: `shop` for SHOP_ID, nothing for any other. */
export const onlyConfiguredShop = <S>(config: WorkerConfig, shop: S | undefined) => (shopId: string): S | undefined =>
  shopId === config.SHOP_ID ? shop : undefined;

export const auPayShopsFromConfig = (config: WorkerConfig) =>
  onlyConfiguredShop(config, auPayShop(config, { shopId: config.AUPAY_SHOP_ID, apiKey: config.AUPAY_API_KEY }));

export function amazonPayShopsFromConfig(config: WorkerConfig) {
  const keyFile = config.AMAZONPAY_PRIVATE_KEY_FILE;
  if (!keyFile) return onlyConfiguredShop<AmazonPayShop>(config, undefined);
  let privateKey: string;
  try {
    privateKey = readFileSync(keyFile, 'utf8');
  } catch (err) {
    throw new ConfigError(`invalid configuration:\n  AMAZONPAY_PRIVATE_KEY_FILE: cannot read ${keyFile} (${(err as NodeJS.ErrnoException).code})`);
  }
  return onlyConfiguredShop(config, amazonPayShop(config, {
    publicKeyId: config.AMAZONPAY_PUBLIC_KEY_ID, privateKey, region: config.AMAZONPAY_REGION, environment: config.AMAZONPAY_ENVIRONMENT,
  }));
}
