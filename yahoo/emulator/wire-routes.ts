import express, { type Response, type Router } from 'express';
import { buildXml, parseXml, asRecord, text } from '../xml';
import { YAHOO_ERROR } from '../errors';
import { respondWithFaults, type WireResponse } from '../../sandbox/toolkit/respond';
import type { YahooOperation } from './operations';
import type { EmulatorKit } from '../../sandbox/toolkit/emulator-kit';
import type { YahooAuth } from './auth';
import type { OrderError, Outcome, YahooOrder, YahooOrders } from './orders';
import { compileCondition } from './order-search';
import { infoFields, listFields } from './order-fields';

const XML = 'application/xml; charset=utf-8';
const xml = (root: string, body: unknown, status = 200): WireResponse => ({ status, contentType: XML, body: buildXml(root, body) });
/** The A.8 error document. */
const errorXml = (e: OrderError): WireResponse => xml('Error', { Message: e.message, Code: e.code }, e.httpStatus);
/** orderList's documented error form. */
const listError = (e: OrderError): WireResponse => xml('Result', { Status: 'NG', Error: { Code: e.code, Message: e.message } }, e.httpStatus);
const invalid = (detail: string): OrderError => ({ ...YAHOO_ERROR.invalidParameter, message: `${YAHOO_ERROR.invalidParameter.message}: ${detail}` });

const updateResult = (r: Outcome<YahooOrder>): WireResponse => {
  if (!r.ok) return errorXml(r.error);
  const warning = r.warnings.map((w) => ({ Code: w.code, Message: w.message, Detail: '' }));
  return xml('ResultSet', {
    '@_totalResultsAvailable': '1', '@_totalResultsReturned': '1', '@_ok': '1', '@_ng': '0',
    Result: { Status: 'OK', ...(warning.length ? { Warning: warning } : {}) },
  });
};

/** The Yahoo store API order operations on the wire: POST with an XML `<Req>`, answers in XML (A.3, A.4, A.6). */
export function createYahooWireRoutes(kit: EmulatorKit, auth: YahooAuth, orders: YahooOrders): Router {
  const router = express.Router();
  router.use(express.text({ type: () => true, limit: '1mb' }));

  const post = (api: YahooOperation, handle: (sellerId: string, req: Record<string, unknown>, raw: string) => WireResponse) =>
    router.post(`/${api}`, (req, res) =>
      respondWithFaults(res, kit, api, () => {
        const a = auth.authorize(req.get('authorization'), api);
        if (!a.ok) return authError(res, a.error);
        const raw = typeof req.body === 'string' ? req.body : '';
        let doc: Record<string, unknown>;
        try {
          doc = parseXml(raw);
        } catch {
          return errorXml(YAHOO_ERROR.badXml);
        }
        const body = asRecord(doc.Req);
        const sellerId = text(body.SellerId);
        if (!sellerId) return errorXml(invalid('SellerId is required'));
        if (sellerId !== a.value.sellerId) return errorXml(YAHOO_ERROR.sellerMismatch);
        return handle(sellerId, body, raw);
      }),
    );

  const findOrder = (sellerId: string, target: Record<string, unknown>): YahooOrder | OrderError => {
    const orderId = text(target.OrderId);
    if (!orderId) return invalid('Target/OrderId is required');
    return orders.get(sellerId, orderId) ?? YAHOO_ERROR.notExists;
  };

  post('orderList', (sellerId, body) => {
    const search = asRecord(body.Search);
    const fields = (text(search.Field) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (!fields.length) return listError(invalid('Search/Field is required'));
    const condition = Object.fromEntries(Object.entries(asRecord(search.Condition)).flatMap(([k, v]) => (text(v) !== undefined ? [[k, text(v) as string]] : [])));
    const compiled = compileCondition(condition);
    if (!compiled.ok) return listError(invalid(`Search/Condition/${compiled.field}: ${compiled.reason}`));
    const size = Number(text(search.Result) ?? '10');
    const start = Number(text(search.Start) ?? '1');
    if (!Number.isInteger(size) || size < 1 || size > 2000) return listError(invalid('Search/Result must be 1-2000'));
    if (!Number.isInteger(start) || start < 1) return listError(invalid('Search/Start must be >= 1'));
    const sort = text(search.Sort) ?? '+order_time';
    if (sort !== '+order_time' && sort !== '-order_time') return listError(invalid('Search/Sort'));

    const matched = orders
      .all(sellerId)
      .filter((o) => compiled.test(o, orders.isReadOnly(o)))
      .sort((x, y) => (x.OrderTime.getTime() - y.OrderTime.getTime() || x.OrderId.localeCompare(y.OrderId)) * (sort === '-order_time' ? -1 : 1));
    const page = matched.slice(start - 1, start - 1 + size);
    const orderInfo = page.map((o, i) => ({ Index: String(start + i), ...listFields(o, fields, orders.isReadOnly(o), !orders.settings.emitPayMethodChangeDeadline) }));
    // a paging overrun is TotalCount>0 with one empty <OrderInfo/> (A.3)
    const infos = matched.length > 0 && page.length === 0 ? [''] : orderInfo;
    return xml('Result', { Status: 'OK', Search: { TotalCount: String(matched.length), ...(infos.length ? { OrderInfo: infos } : {}) } });
  });

  post('orderInfo', (sellerId, body) => {
    const target = asRecord(body.Target);
    const fields = (text(target.Field) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (!fields.length) return errorXml(invalid('Target/Field is required'));
    const found = findOrder(sellerId, target);
    if ('code' in found) return errorXml(found);
    return xml('ResultSet', {
      '@_totalResultsAvailable': '1', '@_totalResultsReturned': '1', '@_firstResultPosition': '1',
      Result: { Status: 'OK', OrderInfo: infoFields(found, fields, orders.isReadOnly(found), !orders.settings.emitPayMethodChangeDeadline) },
    });
  });

  post('orderStatusChange', (sellerId, body) => {
    const target = asRecord(body.Target);
    const order = asRecord(body.Order);
    const found = findOrder(sellerId, target);
    if ('code' in found) return errorXml(found);
    return updateResult(orders.changeStatus(found, {
      status: text(order.OrderStatus) ?? '', isPointFix: text(target.IsPointFix),
      cancelReason: text(order.CancelReason), cancelReasonDetail: text(order.CancelReasonDetail),
    }));
  });

  post('orderPayStatusChange', (sellerId, body) => {
    const found = findOrder(sellerId, asRecord(body.Target));
    if ('code' in found) return errorXml(found);
    const pay = asRecord(asRecord(body.Order).Pay);
    return updateResult(orders.changePayStatus(found, { payStatus: text(pay.PayStatus) ?? '', payDate: text(pay.PayDate) }));
  });

  post('orderShipStatusChange', (sellerId, body, raw) => {
    const target = asRecord(body.Target);
    const found = findOrder(sellerId, target);
    if ('code' in found) return errorXml(found);
    const ship = asRecord(asRecord(body.Order).Ship);
    const f = Object.fromEntries(Object.entries(ship).map(([k, v]) => [k, text(v)]));
    // the parser merges CDATA into text: whether ShipUrl came as CDATA is read from the raw body (A.6)
    const shipUrlInCdata = /<ShipUrl>\s*<!\[CDATA\[/.test(raw);
    return updateResult(orders.changeShipStatus(found, { ...f, IsPointFix: text(target.IsPointFix), OperationUser: text(target.OperationUser), shipUrlInCdata }));
  });

  return router;
}

/** 401s carry the Bearer challenge as Yahoo's FAQ quotes it; every auth refusal has the A.8 body. */
function authError(res: Response, e: OrderError): WireResponse {
  if (e.httpStatus === 401) res.set('WWW-Authenticate', `Bearer realm="yahooapis.jp", error="${e.code.startsWith('px-') ? 'invalid_token' : e.code}"`);
  return errorXml(e);
}
