import express, { type Router } from 'express';
import { createEmulatorKit, type EmulatorKit } from '../../sandbox/toolkit/emulator-kit';
import { createControlPlane } from '../../sandbox/toolkit/control-plane';
import { controlErrorHandler } from '../../sandbox/toolkit/control-errors';
import { YahooAuth } from './auth';
import { YahooOrders } from './orders';
import { YAHOO_OPERATIONS } from './operations';
import { createYahooWireRoutes } from './wire-routes';
import { createYahooTokenRoutes } from './token-routes';
import { createYahooControlRoutes } from './control-routes';

export interface YahooEmulator {
  router: Router;
  kit: EmulatorKit;
  auth: YahooAuth;
  orders: YahooOrders;
}

/**
 * Yahoo!ショッピング in a box: the order APIs under /ShoppingWebService/V1, Yahoo! ID連携 under /yconnect/v2,
 * the control plane under /_sandbox.
 */
export function createYahooEmulator(): YahooEmulator {
  const kit = createEmulatorKit(YAHOO_OPERATIONS);
  const auth = new YahooAuth(kit);
  const orders = new YahooOrders(kit);
  const router = express.Router();
  router.use('/ShoppingWebService/V1', createYahooWireRoutes(kit, auth, orders));
  router.use('/yconnect/v2', createYahooTokenRoutes(auth));
  router.use('/_sandbox', createControlPlane(kit, () => {
    auth.reset();
    orders.reset();
  }));
  router.use('/_sandbox', createYahooControlRoutes(kit, auth, orders));
  // control-plane input errors answer 400 even when mounted on an app without the sandbox's error handler
  router.use('/_sandbox', controlErrorHandler);
  return { router, kit, auth, orders };
}
