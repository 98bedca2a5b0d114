import { readFileSync } from 'node:fs';
import { createAmazonPayClient } from '../../amazon-pay/client';
import type { AmazonPayClient } from '../../amazon-pay/client-types';
import type { AmazonPayConfig } from '../../amazon-pay/config';
import type { ProviderAccount } from '../../accounts/provider-fields';
import { ConfigError } from '../../common/env';

type AmazonPayAccount = Pick<ProviderAccount<'amazon-pay'>, 'publicKeyId' | 'privateKey' | 'region' | 'environment'>;

/** A shop's Amazon Pay client from its account (public key id, private key, region, environment). */
export const amazonPayClientFor = (
  config: Pick<AmazonPayConfig, 'AMAZONPAY_BASE_URL' | 'AMAZONPAY_HOST' | 'AMAZONPAY_TIMEOUT_MS'>,
  a: AmazonPayAccount,
): AmazonPayClient => createAmazonPayClient({
  baseUrl: config.AMAZONPAY_BASE_URL, host: config.AMAZONPAY_HOST, region: a.region, environment: a.environment,
  publicKeyId: a.publicKeyId, privateKey: a.privateKey, timeoutMs: config.AMAZONPAY_TIMEOUT_MS,
});

/** The configured shop's Amazon Pay account as the environment gives it: none without AMAZONPAY_PRIVATE_KEY_FILE. */
export function amazonPayEnvAccount(config: AmazonPayConfig): AmazonPayAccount | undefined {
  const keyFile = config.AMAZONPAY_PRIVATE_KEY_FILE;
  if (!keyFile) return undefined;
  let privateKey: string;
  try {
    privateKey = readFileSync(keyFile, 'utf8');
  } catch (err) {
    throw new ConfigError(`invalid configuration:\n  AMAZONPAY_PRIVATE_KEY_FILE: cannot read ${keyFile} (${(err as NodeJS.ErrnoException).code})`);
  }
  return { publicKeyId: config.AMAZONPAY_PUBLIC_KEY_ID, privateKey, region: config.AMAZONPAY_REGION, environment: config.AMAZONPAY_ENVIRONMENT };
}
