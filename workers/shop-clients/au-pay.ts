import { createAuPayClient, type AuPayClient } from '../../au-pay/client';
import type { AuPayConfig } from '../../au-pay/config';
import type { ProviderAccount } from '../../accounts/provider-fields';

/** A shop's au PAY client from its account (加盟店ID and API key). */
export const auPayClientFor = (
  config: Pick<AuPayConfig, 'AUPAY_BASE_URL' | 'AUPAY_TIMEOUT_MS'>,
  a: Pick<ProviderAccount<'au-pay'>, 'shopId' | 'apiKey'>,
): AuPayClient => createAuPayClient({ baseUrl: config.AUPAY_BASE_URL, shopId: a.shopId, apiKey: a.apiKey, timeoutMs: config.AUPAY_TIMEOUT_MS });

/** The configured shop's au PAY account as the environment gives it. */
export const auPayEnvAccount = (config: AuPayConfig): Pick<ProviderAccount<'au-pay'>, 'shopId' | 'apiKey'> =>
  ({ shopId: config.AUPAY_SHOP_ID, apiKey: config.AUPAY_API_KEY });
