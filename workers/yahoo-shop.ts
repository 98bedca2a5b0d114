import type { WorkerConfig } from '../common/config';
import type { YahooShop } from '../activities/yahoo-window-activities';
import { createYahooClient } from '../yahoo/client';
import { createRefreshingTokenProvider } from '../yahoo/token-provider';

/**
 * The shop's Yahoo client and window settings from configuration. The refresh token stays in the worker's memory:
 * workflows carry only shop and order ids. Without YAHOO_REFRESH_TOKEN the shop has no Yahoo integration.
 */
export function yahooShopsFromConfig(config: WorkerConfig) {
  if (!config.YAHOO_REFRESH_TOKEN) return (): YahooShop | undefined => undefined;
  const tokens = createRefreshingTokenProvider({
    baseUrl: config.YAHOO_TOKEN_URL, clientId: config.YAHOO_CLIENT_ID, clientSecret: config.YAHOO_CLIENT_SECRET,
    refreshToken: config.YAHOO_REFRESH_TOKEN, timeoutMs: config.YAHOO_TIMEOUT_MS,
  });
  const shop: YahooShop = {
    client: createYahooClient({ baseUrl: config.YAHOO_API_BASE_URL, sellerId: config.YAHOO_SELLER_ID, tokens, timeoutMs: config.YAHOO_TIMEOUT_MS }),
    notifyEmail: config.SHOP_NOTIFY_EMAIL,
    window: { deadlineAction: config.YAHOO_DEADLINE_ACTION, cancelReason: config.YAHOO_CANCEL_REASON },
    sweep: { pageSize: config.YAHOO_SWEEP_PAGE_SIZE, requestsPerSecond: config.YAHOO_REQUESTS_PER_SECOND, lookbackDays: 1, parallel: 20 },
  };
  return (shopId: string): YahooShop | undefined => (shopId === config.SHOP_ID ? shop : undefined);
}
