import { buildXml, parseXml } from './xml';
import { AuPayApiError } from './errors';
import { auTradeSchema, responseSchema, type AuOrderStatus, type AuTrade } from './schemas';

export interface AuPayClientOptions {
  /** e.g. https://api.manager.wowma.jp/wmshopapi, or the sandbox's /au-pay/wmshopapi */
  baseUrl: string;
  /** the numeric au PAY store id */
  shopId: string;
  apiKey: string;
  timeoutMs: number;
}

export interface ShippingInfo {
  orderId: string;
  /** YYYY/MM/DD */
  shippingDate: string;
  shippingCarrier: string;
  shippingNumber: string;
}

export interface AuPayClient {
  searchTradeInfo(orderId: string): Promise<AuTrade | null>;
  searchTradeInfoList(q: { dateType: 0 | 1 | 2 | 3 | 4; startDate: string; endDate: string; orderStatus?: string; pageSize?: number }): Promise<AuTrade[]>;
  updateTradeInfo(info: ShippingInfo): Promise<void>;
  updateTradeStatus(a: { orderId: string; orderStatus: AuOrderStatus }): Promise<void>;
}

/**
 * Our client of the Wow! manager order API. No hidden retries: a failed call throws an AuPayApiError whose
 * `retryable` says whether trying again can help, and Temporal's activity retry policy does the retrying.
 */
export function createAuPayClient(options: AuPayClientOptions): AuPayClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const auth = { authorization: `Bearer ${options.apiKey}` };

  async function call(operation: string, init: { method: 'GET'; query: Record<string, string> } | { method: 'POST'; body: Record<string, string> }) {
    const url = new URL(`${base}/${operation}`);
    let requestInit: RequestInit;
    if (init.method === 'GET') {
      for (const [k, v] of Object.entries({ shopId: options.shopId, ...init.query })) url.searchParams.set(k, v);
      requestInit = { method: 'GET', headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' } };
    } else {
      requestInit = {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/xml; charset=utf-8' },
        body: buildXml('request', { shopId: options.shopId, ...init.body }),
      };
    }
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { ...requestInit, signal: AbortSignal.timeout(options.timeoutMs) });
      text = await response.text();
    } catch (err) {
      const name = (err as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') throw AuPayApiError.timeout(options.timeoutMs);
      throw AuPayApiError.network((err as Error & { cause?: Error }).cause?.message ?? (err as Error).message);
    }
    let doc: Record<string, unknown>;
    try {
      doc = parseXml(text);
    } catch {
      throw AuPayApiError.fromHttp(response.status, text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
    }
    const parsed = responseSchema.safeParse(doc);
    if (!parsed.success) {
      if (!response.ok) throw AuPayApiError.fromHttp(response.status, '');
      throw new AuPayApiError(`unexpected ${operation} response: ${parsed.error.issues[0]?.message}`, 'invalid', undefined, response.status);
    }
    const { result } = parsed.data.response;
    if (result.status === '1') {
      const first = result.error?.[0];
      throw AuPayApiError.fromResult(first?.code ?? '', first?.message ?? 'unknown error', response.status);
    }
    return parsed.data.response;
  }

  const toTrade = (raw: Record<string, unknown>): AuTrade => auTradeSchema.parse(raw);

  return {
    async searchTradeInfo(orderId) {
      const res = await call('searchTradeInfoProc', { method: 'GET', query: { orderId } });
      const first = res.orderInfo?.[0];
      return first ? toTrade(first) : null;
    },

    async searchTradeInfoList(q) {
      const pageSize = q.pageSize ?? 100;
      const trades: AuTrade[] = [];
      // resultCount's meaning is unclear in public clients; paging until a short page works under either reading.
      for (let start = 1; ; start += pageSize) {
        const res = await call('searchTradeInfoListProc', {
          method: 'GET',
          query: {
            totalCount: String(pageSize), startCount: String(start), dateType: String(q.dateType),
            startDate: q.startDate, endDate: q.endDate, ...(q.orderStatus ? { orderStatus: q.orderStatus } : {}),
          },
        });
        const page = (res.orderInfo ?? []).map(toTrade);
        trades.push(...page);
        if (page.length < pageSize) return trades;
      }
    },

    async updateTradeInfo(info) {
      await call('updateTradeInfoProc', {
        method: 'POST',
        body: { orderId: info.orderId, shippingDate: info.shippingDate, shippingCarrier: info.shippingCarrier, shippingNumber: info.shippingNumber },
      });
    },

    async updateTradeStatus(a) {
      await call('updateTradeStsProc', { method: 'POST', body: { orderId: a.orderId, orderStatus: a.orderStatus } });
    },
  };
}
