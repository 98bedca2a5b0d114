import type { WorkerConfig } from '../common/config';
import type { ProviderAccount } from '../accounts/provider-fields';
import type { YahooShop } from '../activities/yahoo-window-activities';
import { createYahooClient } from '../yahoo/client';
import { createRefreshingTokenProvider } from '../yahoo/token-provider';
import { onlyConfiguredShop } from './shops';

/** The shop's Yahoo client (its tokens refreshed as they expire) and window settings, from its account fields. */
export function yahooShop(config: WorkerConfig, a: Pick<ProviderAccount<'yahoo'>, 'sellerId' | 'clientId' | 'clientSecret' | 'refreshToken'>): YahooShop {
  const tokens = createRefreshingTokenProvider({
    baseUrl: config.YAHOO_TOKEN_URL, clientId: a.clientId, clientSecret: a.clientSecret, refreshToken: a.refreshToken, timeoutMs: config.YAHOO_TIMEOUT_MS,
  });
  return {
    client: createYahooClient({ baseUrl: config.YAHOO_API_BASE_URL, sellerId: a.sellerId, tokens, timeoutMs: config.YAHOO_TIMEOUT_MS }),
    notifyEmail: config.SHOP_NOTIFY_EMAIL,
    window: { deadlineAction: config.YAHOO_DEADLINE_ACTION, cancelReason: config.YAHOO_CANCEL_REASON },
    sweep: { pageSize: config.YAHOO_SWEEP_PAGE_SIZE, requestsPerSecond: config.YAHOO_REQUESTS_PER_SECOND, lookbackDays: 1, parallel: 20 },
  };
}

/** From configuration: without YAHOO_REFRESH_TOKEN the configured shop has no Yahoo integration. */
export function yahooShopsFromConfig(config: WorkerConfig) {
  if (!config.YAHOO_REFRESH_TOKEN) return onlyConfiguredShop<YahooShop>(config, undefined);
  return onlyConfiguredShop(config, yahooShop(config, {
    sellerId: config.YAHOO_SELLER_ID, clientId: config.YAHOO_CLIENT_ID, clientSecret: config.YAHOO_CLIENT_SECRET, refreshToken: config.YAHOO_REFRESH_TOKEN,
  }));
}
