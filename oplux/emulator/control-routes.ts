import express, { type Router } from 'express';
import { z } from 'zod';
import { MANUAL_RESULTS, REVIEW_RESULTS, type OpluxManualResult } from '../codes';
import type { EmulatorKit } from '../../sandbox/toolkit/emulator-kit';
import type { Detector, DetectorEvent } from './detector';
import { addSettingsRoutes } from '../../sandbox/toolkit/settings-routes';

const merchantBody = z.object({ shopId: z.string().min(1), connectionId: z.string().min(1), secretKey: z.string().min(1) });
const ruleBody = z.object({
  code: z.string().min(1),
  description: z.string().optional(),
  touchpoint: z.string().optional(),
  ok: z.number().int().min(0).optional(),
  ng: z.number().int().min(0).optional(),
  hold: z.number().int().min(0).optional(),
});
const reviewBody = z.object({ result: z.enum(REVIEW_RESULTS), rules: z.array(ruleBody).optional(), ruleGroup: z.string().optional() });
const nextResultsBody = z.object({ results: z.array(reviewBody).min(1) });
/** The word or the maResult code: "NG" and "20" mean the same. */
const manualBody = z.object({
  result: z.union([z.enum(['OK', 'NG', 'HOLD']), z.enum(['10', '20', '30']).transform((c) => MANUAL_RESULTS[c])]),
  memo: z.string().optional(),
});
const blacklistBody = z.object({
  shopId: z.string().min(1),
  kind: z.enum(['email', 'tel', 'cookie', 'address']),
  /** email as hashedAccount@domain (see oplux/hashing.ts), tel digits only, address "zipdigits addressABC" */
  value: z.string().min(1),
});
const hhmm = z.string().regex(/^\d{2}:\d{2}$/);
const settingsBody = z.object({
  maintenance: z.boolean().optional(),
  maintenanceWindows: z.array(z.object({ from: hhmm, to: hhmm })).optional(),
  maxSkewMinutes: z.number().int().min(0).optional(),
  defaultResult: z.enum(REVIEW_RESULTS).optional(),
  rejectDuplicateShopEventId: z.boolean().optional(),
  lookupByShopEventId: z.boolean().optional(),
});

const eventJson = ({ fields, ...e }: DetectorEvent, withFields: boolean) => (withFields ? { ...e, fields } : e);

/**
 * O-PLUX's own control plane (beside the shared clock, faults, ledger and reset): merchants and their secrets, the
 * next review results, an operator's manual result, the blacklist, maintenance, events and settings.
 */
export function createOpluxControlRoutes(_kit: EmulatorKit, detector: Detector): Router {
  const router = express.Router();
  router.use(express.json());

  router.post('/merchants', (req, res) => {
    res.status(201).json(detector.registerMerchant(merchantBody.parse(req.body)));
  });
  router.get('/merchants', (_req, res) => {
    res.json({ merchants: [...detector.merchants.values()] });
  });

  router.post('/next-results', (req, res) => {
    detector.script.push(...nextResultsBody.parse(req.body).results);
    res.status(201).json({ pending: detector.script });
  });
  router.get('/next-results', (_req, res) => {
    res.json({ pending: detector.script });
  });
  router.delete('/next-results', (_req, res) => {
    detector.script.length = 0;
    res.status(204).end();
  });

  router.get('/events', (req, res) => {
    const q = z.object({ shopId: z.string().optional(), eventIdForShop: z.string().optional() }).parse(req.query);
    const events = [...detector.events.values()].filter(
      (e) => (!q.shopId || e.shopId === q.shopId) && (!q.eventIdForShop || e.eventIdForShop === q.eventIdForShop),
    );
    res.json({ events: events.map((e) => eventJson(e, false)) });
  });
  router.get('/events/:id', (req, res) => {
    const event = detector.events.get(req.params.id);
    if (!event) return void res.status(404).json({ error: `unknown event ${req.params.id}` });
    res.json(eventJson(event, true));
  });
  router.post('/events/:id/manual-result', (req, res) => {
    const b = manualBody.parse(req.body);
    const event = detector.setManualResult(req.params.id, b.result as OpluxManualResult, b.memo);
    if (!event) return void res.status(404).json({ error: `unknown event ${req.params.id}` });
    res.json(eventJson(event, false));
  });

  router.get('/blacklist', (req, res) => {
    res.json({ entries: detector.blacklist(typeof req.query.shopId === 'string' ? req.query.shopId : undefined) });
  });
  router.post('/blacklist', (req, res) => {
    const entry = { ...blacklistBody.parse(req.body), source: 'control' };
    detector.manualBlacklist.push(entry);
    res.status(201).json(entry);
  });
  router.delete('/blacklist', (_req, res) => {
    detector.manualBlacklist.length = 0;
    res.status(204).end();
  });

  router.post('/maintenance', (req, res) => {
    detector.settings.maintenance = z.object({ on: z.boolean() }).parse(req.body).on;
    res.json({ maintenance: detector.settings.maintenance, inMaintenance: detector.inMaintenance() });
  });

  addSettingsRoutes(router, () => detector.settings, settingsBody);

  return router;
}
