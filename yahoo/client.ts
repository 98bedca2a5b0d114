import { asRecord, buildXml, cdata, parseXml, text } from './xml';
import { YahooApiError } from './errors';
import type { SettableOrderStatus, YahooPayStatus, YahooShipStatus } from './schemas';
import type { YahooTokenProvider } from './token-provider';

export interface YahooClientOptions {
  /** e.g. https://circus.shopping.yahooapis.jp/ShoppingWebService/V1, or the sandbox's /yahoo/ShoppingWebService/V1 */
  baseUrl: string;
  sellerId: string;
  tokens: YahooTokenProvider;
  timeoutMs: number;
}

export interface YahooWarning {
  code: string;
  message?: string;
  detail?: string;
}

export type YahooListedOrder = Record<string, string>;

/** orderInfo's answer: order-level fields, the Pay/Ship/Detail groups and one entry per item line. */
export interface YahooOrderInfo {
  order: Record<string, string>;
  pay: Record<string, string>;
  ship: Record<string, string>;
  detail: Record<string, string>;
  items: Array<Record<string, string>>;
}

export interface OrderListQuery {
  condition: Record<string, string | number | boolean>;
  fields: string[];
  /** page size, at most 2000 */
  result?: number;
  start?: number;
  sort?: '+order_time' | '-order_time';
}

export interface YahooClient {
  /** One page: TotalCount is the number of matches of the whole condition. */
  orderList(q: OrderListQuery): Promise<{ totalCount: number; orders: YahooListedOrder[] }>;
  /** Every match, page after page. */
  orderListAll(q: Omit<OrderListQuery, 'start'>): Promise<YahooListedOrder[]>;
  orderInfo(orderId: string, fields: string[]): Promise<YahooOrderInfo>;
  orderStatusChange(a: { orderId: string; status: SettableOrderStatus; isPointFix: boolean; cancelReason?: string; cancelReasonDetail?: string; operationUser?: string }): Promise<YahooWarning[]>;
  orderPayStatusChange(a: { orderId: string; payStatus: YahooPayStatus; payDate?: string; operationUser?: string }): Promise<YahooWarning[]>;
  orderShipStatusChange(a: {
    orderId: string; shipStatus: YahooShipStatus; shipCompanyCode?: string; invoice1?: string; invoice2?: string;
    emptyReason?: '101' | '102' | '103' | '104' | '105'; shipDate?: string; shipUrl?: string; shipNotes?: string; operationUser?: string;
  }): Promise<YahooWarning[]>;
}

const leaves = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(asRecord(v)).flatMap(([k, x]) => (text(x) !== undefined ? [[k, text(x) as string]] : [])));
const defined = <T extends Record<string, unknown>>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== ''));

/**
 * Our client of the Yahoo store API order operations. No hidden retries: a failed call throws a YahooApiError whose
 * `retryable` says whether trying again can help; a warning (e.g. od91705) is a success and is returned.
 */
export function createYahooClient(options: YahooClientOptions): YahooClient {
  const base = options.baseUrl.replace(/\/+$/, '');

  async function call(api: string, req: Record<string, unknown>): Promise<Record<string, unknown>> {
    const token = await options.tokens.accessToken();
    let response: Response;
    let body: string;
    try {
      response = await fetch(`${base}/${api}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml; charset=utf-8' },
        body: buildXml('Req', { ...req, SellerId: options.sellerId }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      body = await response.text();
    } catch (err) {
      const name = (err as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') throw YahooApiError.timeout(options.timeoutMs);
      throw YahooApiError.network((err as Error & { cause?: Error }).cause?.message ?? (err as Error).message);
    }
    let doc: Record<string, unknown> | undefined;
    try {
      doc = parseXml(body);
    } catch {
      doc = undefined; // a gateway's HTML page: the HTTP status speaks
    }
    // <Error> (A.8) or orderList's <Result><Status>NG</Status><Error>
    const err = doc && (doc.Error ? asRecord(doc.Error) : text(asRecord(doc.Result).Status) === 'NG' ? asRecord(asRecord(doc.Result).Error) : undefined);
    if (!response.ok || err) {
      const excerpt = body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 120);
      throw YahooApiError.fromHttp(response.status, err ? text(err.Code) : undefined, err ? text(err.Message) : excerpt);
    }
    if (!doc) throw new YahooApiError(`unexpected ${api} answer: not XML`, response.status, 'INVALID', false);
    return doc;
  }

  /** `<ResultSet><Result><Status>OK</Status>[<Warning>…]` of the update APIs. */
  function warnings(api: string, doc: Record<string, unknown>): YahooWarning[] {
    const result = asRecord(asRecord(doc.ResultSet).Result);
    if (text(result.Status) !== 'OK') throw new YahooApiError(`unexpected ${api} answer: Status ${text(result.Status) ?? '(none)'}`, 200, 'INVALID', false);
    const list = Array.isArray(result.Warning) ? result.Warning : [];
    return list.map((w) => {
      const r = leaves(w);
      return { code: r.Code ?? '', ...(r.Message ? { message: r.Message } : {}), ...(r.Detail ? { detail: r.Detail } : {}) };
    });
  }

  const client: YahooClient = {
    async orderList(q) {
      const condition = Object.fromEntries(Object.entries(q.condition).map(([k, v]) => [k, String(v)]));
      const doc = await call('orderList', {
        Search: { Result: q.result ?? 100, Start: q.start ?? 1, Sort: q.sort ?? '+order_time', Condition: condition, Field: q.fields.join(',') },
      });
      const search = asRecord(asRecord(doc.Result).Search);
      const infos = Array.isArray(search.OrderInfo) ? search.OrderInfo : [];
      // a paging overrun comes back as one empty <OrderInfo/>: not an order
      const orders = infos.map(leaves).filter((o) => Object.keys(o).length > 0);
      return { totalCount: Number(text(search.TotalCount) ?? '0'), orders };
    },

    async orderListAll(q) {
      const size = q.result ?? 100;
      const all: YahooListedOrder[] = [];
      for (let start = 1; ; start += size) {
        const page = await client.orderList({ ...q, result: size, start });
        all.push(...page.orders);
        if (page.orders.length < size || all.length >= page.totalCount) return all;
      }
    },

    async orderInfo(orderId, fields) {
      const doc = await call('orderInfo', { Target: { OrderId: orderId, Field: fields.join(',') } });
      const info = asRecord((asRecord(asRecord(doc.ResultSet).Result).OrderInfo as unknown[] | undefined)?.[0]);
      return {
        order: leaves(info), pay: leaves(info.Pay), ship: leaves(info.Ship), detail: leaves(info.Detail),
        items: (Array.isArray(info.Item) ? info.Item : []).map(leaves),
      };
    },

    async orderStatusChange(a) {
      const doc = await call('orderStatusChange', {
        Target: defined({ OrderId: a.orderId, IsPointFix: String(a.isPointFix), OperationUser: a.operationUser }),
        Order: defined({ OrderStatus: a.status, CancelReason: a.cancelReason, CancelReasonDetail: a.cancelReasonDetail ? cdata(a.cancelReasonDetail) : undefined }),
      });
      return warnings('orderStatusChange', doc);
    },

    async orderPayStatusChange(a) {
      const doc = await call('orderPayStatusChange', {
        Target: defined({ OrderId: a.orderId, OperationUser: a.operationUser }),
        Order: { Pay: defined({ PayStatus: a.payStatus, PayDate: a.payDate }) },
      });
      return warnings('orderPayStatusChange', doc);
    },

    async orderShipStatusChange(a) {
      const doc = await call('orderShipStatusChange', {
        Target: defined({ OrderId: a.orderId, IsPointFix: 'true', OperationUser: a.operationUser }), // IsPointFix must be true (A.6)
        Order: {
          Ship: defined({
            ShipStatus: a.shipStatus, ShipCompanyCode: a.shipCompanyCode, ShipInvoiceNumber1: a.invoice1, ShipInvoiceNumber2: a.invoice2,
            ShipInvoiceNumberEmptyReason: a.emptyReason, ShipDate: a.shipDate,
            ShipUrl: a.shipUrl ? cdata(a.shipUrl) : undefined, ShipNotes: a.shipNotes ? cdata(a.shipNotes) : undefined,
          }),
        },
      });
      return warnings('orderShipStatusChange', doc);
    },
  };
  return client;
}
