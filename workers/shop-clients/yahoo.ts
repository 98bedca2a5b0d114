import type { ProviderAccount } from '../../accounts/provider-fields';
import { createYahooClient, type YahooClient } from '../../yahoo/client';
import type { YahooConfig } from '../../yahoo/config';
import { createRefreshingTokenProvider } from '../../yahoo/token-provider';

type YahooAccount = Pick<ProviderAccount<'yahoo'>, 'sellerId' | 'clientId' | 'clientSecret' | 'refreshToken'>;

/** A shop's Yahoo client from its account, its tokens refreshed as they expire (`now`: the clock tokens expire by). */
export function yahooClientFor(
  config: Pick<YahooConfig, 'YAHOO_API_BASE_URL' | 'YAHOO_TOKEN_URL' | 'YAHOO_TIMEOUT_MS'>,
  a: YahooAccount,
  o: { now?: () => Date } = {},
): YahooClient {
  const tokens = createRefreshingTokenProvider({
    baseUrl: config.YAHOO_TOKEN_URL, clientId: a.clientId, clientSecret: a.clientSecret, refreshToken: a.refreshToken, timeoutMs: config.YAHOO_TIMEOUT_MS,
    ...(o.now ? { now: o.now } : {}),
  });
  return createYahooClient({ baseUrl: config.YAHOO_API_BASE_URL, sellerId: a.sellerId, tokens, timeoutMs: config.YAHOO_TIMEOUT_MS });
}

/** The configured shop's Yahoo account as the environment gives it: none without YAHOO_REFRESH_TOKEN. */
export const yahooEnvAccount = (config: YahooConfig): YahooAccount | undefined =>
  config.YAHOO_REFRESH_TOKEN
    ? { sellerId: config.YAHOO_SELLER_ID, clientId: config.YAHOO_CLIENT_ID, clientSecret: config.YAHOO_CLIENT_SECRET, refreshToken: config.YAHOO_REFRESH_TOKEN }
    : undefined;
