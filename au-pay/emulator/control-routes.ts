import express, { type Router } from 'express';
import { z } from 'zod';
import { AU_ORDER_STATUSES } from '../schemas';
import type { EmulatorKit } from '../../sandbox/toolkit/emulator-kit';
import type { AuPayMarket } from './market';
import { addSettingsRoutes } from '../../sandbox/toolkit/settings-routes';

const shopBody = z.object({
  shopId: z.string().regex(/^\d+$/, 'the numeric au PAY store id'),
  apiKey: z.string().min(1),
  keyIssuedAt: z.string().datetime({ offset: true }).optional(),
});
const tradeBody = z.object({
  shopId: z.string().regex(/^\d+$/),
  orderId: z.string().regex(/^\d+$/).optional(),
  orderStatus: z.enum(AU_ORDER_STATUSES).optional(),
  ordererName: z.string().optional(),
  totalPrice: z.string().regex(/^\d+$/).optional(),
});
const settingsBody = z.object({
  keyValidDays: z.number().int().min(1).optional(),
  strictCompletion: z.boolean().optional(),
  maintenance: z.boolean().optional(),
  maintenanceWindows: z.array(z.object({ from: z.string().regex(/^\d{2}:\d{2}$/), to: z.string().regex(/^\d{2}:\d{2}$/) })).optional(),
});

/**
 * au PAY's own control plane (beside the shared clock, faults, ledger and reset): stores and their API keys,
 * trades, and the scripted outcomes: trade canceled at the market, maintenance, API key expired.
 */
export function createAuPayControlRoutes(kit: EmulatorKit, market: AuPayMarket): Router {
  const router = express.Router();
  router.use(express.json());

  router.post('/shops', (req, res) => {
    const b = shopBody.parse(req.body);
    const shop = market.registerShop(b.shopId, b.apiKey, b.keyIssuedAt ? new Date(b.keyIssuedAt) : undefined);
    res.status(201).json({ shopId: shop.shopId, keyIssuedAt: shop.keyIssuedAt.toISOString() });
  });

  router.post('/shops/:shopId/expire-key', (req, res) => {
    const shop = market.shops.get(req.params.shopId);
    if (!shop) return void res.status(404).json({ error: `unknown shop ${req.params.shopId}` });
    shop.keyIssuedAt = new Date(kit.clock.now().getTime() - (market.settings.keyValidDays + 1) * 86_400_000);
    res.json({ shopId: shop.shopId, keyIssuedAt: shop.keyIssuedAt.toISOString() });
  });

  router.post('/trades', (req, res) => {
    const b = tradeBody.parse(req.body);
    if (b.orderId && market.trade(b.shopId, b.orderId)) return void res.status(409).json({ error: `trade ${b.orderId} exists` });
    res.status(201).json(market.createTrade(b));
  });

  router.get('/trades/:shopId/:orderId', (req, res) => {
    const trade = market.trade(req.params.shopId, req.params.orderId);
    if (!trade) return void res.status(404).json({ error: `unknown trade ${req.params.orderId}` });
    res.json(trade);
  });

  router.post('/trades/:shopId/:orderId/cancel', (req, res) => {
    const trade = market.cancelAtMarket(req.params.shopId, req.params.orderId);
    if (!trade) return void res.status(404).json({ error: `unknown trade ${req.params.orderId}` });
    res.json(trade);
  });

  addSettingsRoutes(router, () => market.settings, settingsBody);

  return router;
}
