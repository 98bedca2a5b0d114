import type { ProviderAccount } from '../../accounts/provider-fields';
import { createOpluxClient, type OpluxClient } from '../../oplux/client';
import type { OpluxConfig } from '../../oplux/config';

/** A shop's O-PLUX client from its account (加盟店ID, 接続元ID, secret); `now`: the clock its request_datetime reads. */
export const opluxClientFor = (
  config: Pick<OpluxConfig, 'OPLUX_EVENT_URL' | 'OPLUX_NORMALIZER_URL' | 'OPLUX_TIMEOUT_MS'>,
  a: ProviderAccount<'oplux'>,
  o: { now?: () => Date } = {},
): OpluxClient => createOpluxClient({
  eventUrl: config.OPLUX_EVENT_URL, normalizerUrl: config.OPLUX_NORMALIZER_URL, shopId: a.merchantId,
  connectionId: a.accessId, secretKey: a.secret, timeoutMs: config.OPLUX_TIMEOUT_MS, ...(o.now ? { now: o.now } : {}),
});

/** The configured shop's O-PLUX account as the environment gives it: none without OPLUX_SHOP_ID. */
export const opluxEnvAccount = (config: OpluxConfig): ProviderAccount<'oplux'> | undefined =>
  config.OPLUX_SHOP_ID ? { merchantId: config.OPLUX_SHOP_ID, accessId: config.OPLUX_CONNECTION_ID, secret: config.OPLUX_SECRET_KEY } : undefined;
