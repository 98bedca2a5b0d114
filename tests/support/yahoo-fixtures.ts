import type { ActivityDeps } from '../../activities';
import type { YahooShop, YahooSweepSettings, YahooWindowSettings } from '../../activities/yahoo-window-activities';
import { yahooClientFor } from '../../workers/shop-clients';
import { NOTIFY_EMAIL, SHOP_ID } from './au-pay-fixtures';
import type { TestSandbox } from './sandbox';

export const YAHOO_SELLER = 'test-yahoo-store';
export const YAHOO_APP = { clientId: 'test-yahoo-app', clientSecret: 'test-yahoo-secret', sellerId: YAHOO_SELLER };
export const YAHOO_REFRESH_TOKEN = 'rt.test-yahoo-store';

/** The test shop's window settings; tests change them in place (the worker reads them at each activity). */
export interface YahooTestShop {
  window: YahooWindowSettings;
  sweep: YahooSweepSettings;
  shop: YahooShop;
}

/**
 * Registers the test app and its refresh token at the sandbox's Yahoo (long-lived, as with public-key auth, so the
 * months that time-skipping tests cross need no re-authorization) and builds the shop our activities use. The token
 * provider reads the sandbox's clock, which follows the test server's.
 */
export function yahooTestShop(sandbox: TestSandbox, baseUrl = sandbox.url): YahooTestShop {
  const { auth } = sandbox.yahoo;
  auth.registerApp({ ...YAHOO_APP, storeScope: true, orderApiApproved: true });
  Object.assign(auth.settings, { refreshTokenTtlDays: 3650, orderSessionHours: 24 * 3650 });
  auth.registerRefreshToken(YAHOO_APP.clientId, YAHOO_REFRESH_TOKEN);

  const window: YahooWindowSettings = { deadlineAction: 'cancel', cancelReason: '200' };
  const sweep: YahooSweepSettings = { pageSize: 2000, requestsPerSecond: 10, lookbackDays: 1, parallel: 20 };
  const shop: YahooShop = {
    client: yahooClientFor(
      { YAHOO_API_BASE_URL: `${baseUrl}/yahoo/ShoppingWebService/V1`, YAHOO_TOKEN_URL: `${baseUrl}/yahoo/yconnect/v2`, YAHOO_TIMEOUT_MS: 5000 },
      { ...YAHOO_APP, refreshToken: YAHOO_REFRESH_TOKEN },
      { now: () => sandbox.yahoo.kit.clock.now() },
    ),
    notifyEmail: NOTIFY_EMAIL, window, sweep,
  };
  return { window, sweep, shop };
}

export const yahooDeps = (shop: YahooShop): Partial<ActivityDeps> => ({ yahooShop: (shopId) => (shopId === SHOP_ID ? shop : undefined) });

export interface EmulatedOrder {
  OrderId: string;
  PayMethodChangeDeadline: string | null;
  SettleStatus: string;
  ShipStatus: string;
  OrderStatus: string;
  CancelReason: string;
}

/** An order paid by card whose authorization failed at `at` (default: the sandbox's now). */
export async function authErrorOrder(sandbox: TestSandbox, at?: Date): Promise<EmulatedOrder> {
  const orderTime = at ?? sandbox.yahoo.kit.clock.now();
  const order = await sandbox.control<EmulatedOrder>('POST', '/yahoo/_sandbox/orders', {
    sellerId: YAHOO_SELLER, orderTime: new Date(orderTime.getTime() - 3_600_000).toISOString(), payMethod: 'payment_a1',
  });
  return sandbox.control<EmulatedOrder>('POST', `/yahoo/_sandbox/orders/${order.OrderId}/authorization-error`, at ? { at: at.toISOString() } : {});
}

export const yahooOrder = (sandbox: TestSandbox, orderId: string) => sandbox.control<EmulatedOrder>('GET', `/yahoo/_sandbox/orders/${orderId}`);
