import express, { type Request, type Router } from 'express';
import { buildXml, parseXml } from '../xml';
import { AU_ERROR } from '../errors';
import { respondWithFaults, type WireResponse } from '../../sandbox/toolkit/respond';
import type { AuPayOperation } from './operations';
import type { EmulatorKit } from '../../sandbox/toolkit/emulator-kit';
import type { AuPayMarket, MarketError, MarketTrade } from './market';

const xml = (body: Record<string, unknown>, status = 200): WireResponse => ({
  status,
  contentType: 'application/xml; charset=utf-8',
  body: buildXml('response', body),
});
const ok = (extra: Record<string, unknown> = {}) => xml({ result: { status: 0 }, ...extra });
const error = (e: MarketError) => xml({ result: { status: 1, error: { code: e.code, message: e.message } } }, e.httpStatus ?? 200);

const tradeXml = (t: MarketTrade) => {
  const { shopId: _shopId, ...fields } = t;
  return fields;
};

/** Reads the flat children of `<request>`; anything else is the market's parse or required-field error. */
function requestFields(req: Request): { fields: Record<string, string> } | { error: MarketError } {
  let doc: Record<string, unknown>;
  try {
    doc = parseXml(typeof req.body === 'string' ? req.body : '');
  } catch {
    return { error: AU_ERROR.xmlParse };
  }
  const root = doc.request;
  if (!root || typeof root !== 'object') return { error: { ...AU_ERROR.required, message: `[orderId]${AU_ERROR.required.message}` } };
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(root)) if (typeof v === 'string' || typeof v === 'number') fields[k] = String(v);
  return { fields };
}

/** The Wow! manager order API on the wire: GET with query strings, POST with XML, answers in XML. */
export function createAuPayWireRoutes(kit: EmulatorKit, market: AuPayMarket): Router {
  const router = express.Router();
  router.use(express.text({ type: () => true, limit: '1mb' }));

  const get = (operation: AuPayOperation, handle: (shopId: string, q: Record<string, string>) => WireResponse) =>
    router.get(`/${operation}`, (req, res) =>
      respondWithFaults(res, kit, operation, () => {
        const q = Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, String(v)]));
        const auth = market.authorize(req.get('authorization'), q.shopId);
        return auth.ok ? handle(auth.value.shopId, q) : error(auth.error);
      }),
    );

  const post = (operation: AuPayOperation, handle: (shopId: string, f: Record<string, string>) => WireResponse) =>
    router.post(`/${operation}`, (req, res) =>
      respondWithFaults(res, kit, operation, () => {
        const parsed = requestFields(req);
        if ('error' in parsed) return error(parsed.error);
        const auth = market.authorize(req.get('authorization'), parsed.fields.shopId);
        return auth.ok ? handle(auth.value.shopId, parsed.fields) : error(auth.error);
      }),
    );

  get('searchTradeInfoProc', (shopId, q) => {
    if (!q.orderId) return error({ ...AU_ERROR.required, message: `[orderId]${AU_ERROR.required.message}` });
    const found = market.search(shopId, { orderId: q.orderId });
    return ok({ resultCount: found.length, orderInfo: found.map(tradeXml) });
  });

  const page = (shopId: string, q: Record<string, string>) => {
    const size = Math.min(Math.max(Number(q.totalCount ?? 100) || 100, 1), 1000);
    const start = Math.max(Number(q.startCount ?? 1) || 1, 1);
    return market.search(shopId, q).slice(start - 1, start - 1 + size);
  };
  get('searchTradeInfoListProc', (shopId, q) => {
    const found = page(shopId, q);
    return ok({ resultCount: found.length, orderInfo: found.map(tradeXml) });
  });
  get('searchTradeNoListProc', (shopId, q) => {
    const found = page(shopId, q);
    return ok({ resultCount: found.length, orderInfo: found.map((t) => ({ orderId: t.orderId })) });
  });

  post('updateTradeInfoProc', (shopId, f) => {
    const r = market.updateTradeInfo(shopId, f);
    return r.ok ? ok() : error(r.error);
  });
  post('updateTradeStsProc', (shopId, f) => {
    const r = market.updateTradeStatus(shopId, f);
    return r.ok ? ok() : error(r.error);
  });

  return router;
}
