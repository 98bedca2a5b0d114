import express, { type Router } from 'express';
import { z } from 'zod';
import { ORDER_STATUS, PAY_STATUS, SETTLE_STATUS, SHIP_STATUS } from '../schemas';
import type { EmulatorKit } from '../../sandbox/toolkit/emulator-kit';
import type { YahooAuth } from './auth';
import type { YahooOrder, YahooOrders } from './orders';
import { formatYahooDateTime } from '../dates';

const codes = <T extends Record<string, string>>(t: T) => z.enum(Object.keys(t) as [string, ...string[]]);
const instant = z.string().datetime({ offset: true });

const appBody = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  sellerId: z.string().min(1),
  storeScope: z.boolean().default(true),
  orderApiApproved: z.boolean().default(true),
});
const orderBody = z.object({
  sellerId: z.string().min(1),
  orderId: z.string().min(1).optional(),
  orderTime: instant.optional(),
  orderStatus: codes(ORDER_STATUS).optional(),
  settleStatus: codes(SETTLE_STATUS).optional(),
  payStatus: codes(PAY_STATUS).optional(),
  shipStatus: codes(SHIP_STATUS).optional(),
  payMethod: z.string().regex(/^payment_[a-z]\d+$/).optional(),
  totalPrice: z.string().regex(/^\d+$/).optional(),
  isSeen: z.boolean().optional(),
});
const authErrorBody = z.object({ at: instant.optional() });
const changeBody = z.object({ payMethod: z.string().regex(/^payment_[a-z]\d+$/), payMethodName: z.string().optional() });
const buyerCancelBody = z.object({ cancelReason: z.string().regex(/^3[0-8]0$/, 'a buyer reason, 300-380').default('380') });
const settingsBody = z.object({
  payMethodChangeDays: z.number().int().min(0).optional(),
  autoCancelOnDeadline: z.boolean().optional(),
  readOnlyMinutes: z.number().int().min(0).optional(),
  emitPayMethodChangeDeadline: z.boolean().optional(),
  accessTokenTtlSeconds: z.number().int().min(1).optional(),
  refreshTokenTtlDays: z.number().int().min(1).optional(),
  orderSessionHours: z.number().positive().optional(),
  rateLimitPerSecond: z.number().int().min(0).optional(),
});

/** An order as the control plane shows it: instants in JST with offset, as the wire would. */
const view = (o: YahooOrder) => ({
  ...o,
  OrderTime: formatYahooDateTime(o.OrderTime), LastUpdateTime: formatYahooDateTime(o.LastUpdateTime),
  PublicationTime: formatYahooDateTime(o.PublicationTime),
  PayMethodChangeDeadline: o.PayMethodChangeDeadline ? formatYahooDateTime(o.PayMethodChangeDeadline) : null,
  PayMethodChangeDoneDate: o.PayMethodChangeDoneDate ? formatYahooDateTime(o.PayMethodChangeDoneDate) : null,
  capturedAt: o.capturedAt ? formatYahooDateTime(o.capturedAt) : null,
});

/**
 * Yahoo's own control plane (beside the shared clock, faults, ledger and reset): apps and tokens, orders, and the
 * scripted buyer-side outcomes: authorization error, the buyer's payment-method change, the buyer's cancel.
 */
export function createYahooControlRoutes(_kit: EmulatorKit, auth: YahooAuth, orders: YahooOrders): Router {
  const router = express.Router();
  router.use(express.json());

  router.post('/apps', (req, res) => {
    res.status(201).json(auth.registerApp(appBody.parse(req.body)));
  });
  /** A token pair for a registered app without the browser redirect (the same grant the token endpoint gives). */
  router.post('/apps/:clientId/tokens', (req, res) => {
    const t = auth.issueDirect(req.params.clientId);
    if (!t) return void res.status(404).json({ error: `unknown app ${req.params.clientId}` });
    res.status(201).json(t);
  });

  router.post('/orders', (req, res) => {
    const b = orderBody.parse(req.body);
    if (b.orderId && orders.orders.has(b.orderId)) return void res.status(409).json({ error: `order ${b.orderId} exists` });
    const o = orders.create({
      sellerId: b.sellerId,
      ...(b.orderId ? { OrderId: b.orderId } : {}),
      ...(b.orderTime ? { OrderTime: new Date(b.orderTime) } : {}),
      ...(b.orderStatus ? { OrderStatus: b.orderStatus } : {}),
      ...(b.settleStatus ? { SettleStatus: b.settleStatus } : {}),
      ...(b.payStatus ? { PayStatus: b.payStatus } : {}),
      ...(b.shipStatus ? { ShipStatus: b.shipStatus } : {}),
      ...(b.payMethod ? { PayMethod: b.payMethod } : {}),
      ...(b.totalPrice ? { TotalPrice: b.totalPrice } : {}),
      ...(b.isSeen !== undefined ? { IsSeen: b.isSeen } : {}),
    });
    res.status(201).json(view(o));
  });

  const withOrder = (path: string, act: (o: YahooOrder, body: unknown) => { status: number; body: unknown }) =>
    router.post(`/orders/:orderId/${path}`, (req, res) => {
      const o = orders.orders.get(req.params.orderId);
      if (!o) return void res.status(404).json({ error: `unknown order ${req.params.orderId}` });
      const r = act(o, req.body);
      res.status(r.status).json(r.body);
    });

  router.get('/orders/:orderId', (req, res) => {
    const o = orders.orders.get(req.params.orderId);
    if (!o) return void res.status(404).json({ error: `unknown order ${req.params.orderId}` });
    res.json(view(orders.get(o.sellerId, o.OrderId) ?? o));
  });

  withOrder('authorization-error', (o, body) => {
    const b = authErrorBody.parse(body ?? {});
    return { status: 200, body: view(orders.failAuthorization(o, b.at ? new Date(b.at) : undefined)) };
  });
  withOrder('pay-method-change', (o, body) => {
    const b = changeBody.parse(body);
    const r = orders.buyerChangesPayMethod(o, b.payMethod, b.payMethodName);
    return r.ok ? { status: 200, body: view(r.value) } : { status: 409, body: { error: r.error.message } };
  });
  withOrder('buyer-cancel', (o, body) => {
    const b = buyerCancelBody.parse(body ?? {});
    const r = orders.buyerCancels(o, b.cancelReason);
    return r.ok ? { status: 200, body: view(r.value) } : { status: 409, body: { error: r.error.message } };
  });

  router.get('/settings', (_req, res) => {
    res.json({ ...orders.settings, ...auth.settings });
  });
  router.post('/settings', (req, res) => {
    const b = settingsBody.parse(req.body);
    for (const [k, v] of Object.entries(b)) {
      if (v === undefined) continue;
      if (k in orders.settings) Object.assign(orders.settings, { [k]: v });
      else Object.assign(auth.settings, { [k]: v });
    }
    res.json({ ...orders.settings, ...auth.settings });
  });

  return router;
}
