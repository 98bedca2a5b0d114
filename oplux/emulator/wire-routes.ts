import express, { type Request, type Router } from 'express';
import { buildXml } from '../xml';
import { TRANSPORT_RESULT } from '../codes';
import { respondWithFaults, type WireResponse } from '../../sandbox/toolkit/respond';
import type { OpluxOperation } from './operations';
import type { EmulatorKit } from '../../sandbox/toolkit/emulator-kit';
import type { Detector, DetectorError, DetectorEvent, Merchant, RuleSpec } from './detector';

const xml = (body: Record<string, unknown>, status = 200): WireResponse => ({
  status,
  contentType: 'application/xml; charset=utf-8',
  body: buildXml({ time: 1, ...body }),
});
const ok = (body: Record<string, unknown>) => xml({ result: TRANSPORT_RESULT.ok, errors: '', ...body });
/** result=20 with the error list; the HTTP status also says it (W2 parses the body of protocol errors). */
const error = (e: DetectorError) => xml({ result: TRANSPORT_RESULT.error, errors: { error: [{ code: e.code, message: e.message }] } }, e.httpStatus);

/** Empty containers are written `<rules></rules>`: the always-array parse then yields []. */
const box = (key: string, items: unknown[]) => (items.length ? { [key]: items } : '');
const ruleXml = (r: RuleSpec, fired?: boolean) => ({
  code: r.code, ok: r.ok ?? 0, ng: r.ng ?? 0, hold: r.hold ?? 0, touchpoint: r.touchpoint ?? '', description: r.description ?? '',
  ...(fired ? { fired: 'true' } : {}),
});
const similarXml = (id: string) => ({ event_id: id, rule_code: '', touchpoints: '' });

const registeredXml = (e: DetectorEvent) => ({
  id: e.id, result: e.aaResult, skipped: 0, score: e.score, rules: box('rule', e.rules.map((r) => ruleXml(r))),
  ruleGroup: e.ruleGroup, similars: box('similar', e.similars.map(similarXml)),
});

/** get's shape (C.4); settle_status, memo, blacked, deleted and event_id_for_shop are ASSUMED extras. */
const fetchedXml = (e: DetectorEvent) => ({
  id: e.id, event_id_for_shop: e.eventIdForShop, request_datetime: e.requestDatetime, event_type: e.eventType,
  authori_deadline_datetime: '', aaresult: { result: e.aaResult },
  maresult: { result: e.maResult ?? '', reason: e.memo ?? '' }, score: e.score,
  rules: box('rule', e.rules.map((r) => ruleXml(r, true))), similars: box('similar', e.similars.map(similarXml)),
  settle_status: e.settleStatus, memo: e.memo ?? '', blacked: e.blacked ? 1 : 0, deleted: e.deleted ? 1 : 0,
});

/** The `request.`-prefixed keys of a form body or a query, without the prefix; anything else is ignored. */
function requestFields(source: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!source || typeof source !== 'object') return fields;
  for (const [k, v] of Object.entries(source as Record<string, unknown>)) {
    const value = Array.isArray(v) ? v[0] : v;
    if (k.startsWith('request.') && (typeof value === 'string' || typeof value === 'number')) fields[k.slice('request.'.length)] = String(value);
  }
  return fields;
}

/** The v2 event API on the wire (mounted at /v2): POST registers, GET reads, PUT updates, all with `request.*` keys, answers in XML. */
export function createOpluxWireRoutes(kit: EmulatorKit, detector: Detector): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: '1mb', type: () => true }));

  const handle = (operation: OpluxOperation, source: (req: Request) => unknown, run: (m: Merchant, f: Record<string, string>) => WireResponse) =>
    (req: Request, res: express.Response) =>
      respondWithFaults(res, kit, operation, () => {
        const f = requestFields(source(req));
        const auth = detector.authenticate(f);
        return auth.ok ? run(auth.value, f) : error(auth.error);
      });

  router.post('/event', handle('registerEvent', (req) => req.body, (m, f) => {
    const r = detector.register(m.shopId, f);
    return r.ok ? ok({ event: registeredXml(r.value) }) : error(r.error);
  }));

  router.get('/event', handle('getEvent', (req) => req.query, (m, f) => {
    const r = detector.find(m.shopId, f);
    return r.ok ? ok({ events: { event: r.value.map(fetchedXml) } }) : error(r.error);
  }));

  router.put('/event', handle('updateEvent', (req) => req.body, (m, f) => {
    const r = detector.update(m.shopId, f);
    return r.ok ? ok({ id: r.value.id }) : error(r.error);
  }));

  return router;
}
