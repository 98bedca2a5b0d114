import express, { type Router } from 'express';
import { z } from 'zod';
import type { EmulatorKit } from '../../sandbox/toolkit/emulator-kit';
import { formatGmoDate } from '../dates';
import { CANCEL_JOB_CDS } from '../schemas';
import { searchFields, type GmoGateway, type GmoSettings, type GmoTradeRecord } from './gateway';
import { scriptedErrorSchema, type ScriptedErrors } from './scripted-errors';

const alnum = (max: number) => z.string().regex(new RegExp(`^[A-Za-z0-9]{1,${max}}$`), `1-${max} letters or digits`);
const cardNo = z.string().regex(/^\d{10,16}$/);
const expire = z.string().regex(/^\d{2}(0[1-9]|1[0-2])$/, 'YYMM');

const shopBody = z.object({ shopId: alnum(13), shopPass: alnum(10), cardNoAllowed: z.boolean().default(true) });
const siteBody = z.object({ siteId: alnum(13), sitePass: alnum(20) });
const memberBody = z.object({
  memberId: z.string().regex(/^[A-Za-z0-9\-_.@]{1,60}$/),
  cards: z.array(z.object({ cardNo, expire })).min(1),
});
const tokenBody = z.object({ cardNo: cardNo.default('4111111111111111'), expire: expire.default('3012'), securityCode: z.string().regex(/^\d{3,4}$/).optional() });
const adminCancelBody = z.object({ jobCd: z.enum(CANCEL_JOB_CDS).optional() });
const lockBody = z.object({ locked: z.boolean().default(true) });
const errInfos = z.array(z.string().regex(/^[A-Z0-9]{9}$/)).min(1);
const settingsBody = z.object({
  strictCancelWindow: z.boolean().optional(),
  authValidDays: z.number().int().min(1).optional(),
  tokenValidMinutes: z.number().int().min(1).optional(),
  repeatErrors: z.object({ cancelOnCanceled: errInfos, salesOnSales: errInfos, execOnProcessed: errInfos }).partial().optional(),
});

/** A trade as the control plane shows it: the SearchTrade fields, plus the history and the lock. */
const view = (t: GmoTradeRecord) => ({
  shopId: t.shopId, ...Object.fromEntries(searchFields(t)), EntryJobCd: t.entryJobCd,
  TranDate: formatGmoDate(t.processedAt), locked: t.locked, history: t.history,
});

/**
 * GMO-PG's own control plane (beside the shared clock, faults, ledger and reset): shops and sites with their
 * passwords, stored cards, tokens, trades, and the scripted outcomes: a cancel in the GMO admin screen, a lock
 * (操作禁止), and GMO error answers (E90010001, E91020001, 42C010000, E92000001, …).
 */
export function createGmoPgControlRoutes(_kit: EmulatorKit, gateway: GmoGateway, scripted: ScriptedErrors): Router {
  const router = express.Router();
  router.use(express.json());

  router.post('/shops', (req, res) => {
    const b = shopBody.parse(req.body);
    const shop = gateway.registerShop(b.shopId, b.shopPass, b.cardNoAllowed);
    res.status(201).json({ shopId: shop.shopId, cardNoAllowed: shop.cardNoAllowed });
  });

  router.post('/sites', (req, res) => {
    const b = siteBody.parse(req.body);
    res.status(201).json({ siteId: gateway.registerSite(b.siteId, b.sitePass).siteId });
  });
  router.post('/sites/:siteId/members', (req, res) => {
    const site = gateway.sites.get(req.params.siteId);
    if (!site) return void res.status(404).json({ error: `unknown site ${req.params.siteId}` });
    const b = memberBody.parse(req.body);
    const cards = b.cards.map((c, cardSeq) => ({ cardSeq, ...c }));
    site.members.set(b.memberId, cards);
    res.status(201).json({ memberId: b.memberId, cards: cards.map((c) => ({ cardSeq: c.cardSeq, cardNo: `****${c.cardNo.slice(-4)}`, expire: c.expire })) });
  });

  router.post('/tokens', (req, res) => {
    const t = gateway.issueToken(tokenBody.parse(req.body ?? {}));
    res.status(201).json({ token: t.token, expiresAt: t.expiresAt.toISOString() });
  });

  const withTrade = (req: express.Request, res: express.Response): GmoTradeRecord | undefined => {
    const t = gateway.trade(String(req.params.shopId), String(req.params.orderId));
    if (!t) res.status(404).json({ error: `unknown trade ${String(req.params.orderId)}` });
    return t;
  };
  router.get('/trades/:shopId/:orderId', (req, res) => {
    const t = withTrade(req, res);
    if (t) res.json(view(t));
  });
  router.post('/trades/:shopId/:orderId/admin-cancel', (req, res) => {
    const t = withTrade(req, res);
    if (!t) return;
    const r = gateway.adminCancel(t, adminCancelBody.parse(req.body ?? {}).jobCd);
    if (!r.ok) return void res.status(409).json({ error: r.error });
    res.json(view(t));
  });
  router.post('/trades/:shopId/:orderId/lock', (req, res) => {
    const t = withTrade(req, res);
    if (!t) return;
    t.locked = lockBody.parse(req.body ?? {}).locked;
    res.json(view(t));
  });

  router.get('/errors', (_req, res) => {
    res.json({ errors: scripted.list() });
  });
  router.post('/errors', (req, res) => {
    res.status(201).json(scripted.add(scriptedErrorSchema.parse(req.body)));
  });
  router.delete('/errors', (_req, res) => {
    scripted.clear();
    res.status(204).end();
  });

  router.get('/settings', (_req, res) => {
    res.json(gateway.settings);
  });
  router.post('/settings', (req, res) => {
    const { repeatErrors, ...rest } = settingsBody.parse(req.body);
    const s: GmoSettings = gateway.settings;
    Object.assign(s, Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)));
    if (repeatErrors) Object.assign(s.repeatErrors, Object.fromEntries(Object.entries(repeatErrors).filter(([, v]) => v !== undefined)));
    res.json(s);
  });

  return router;
}
