import { jstDateTime, parseCalendarDate } from '../../common/jst';
import { AU_ERROR } from '../errors';
import { SHIPPING_CARRIERS, UPDATABLE_ORDER_STATUSES, type AuOrderStatus } from '../schemas';
import type { AuPayOperation } from './operations';
import type { EmulatorKit } from '../../sandbox/toolkit/emulator-kit';

/** The market's record of one order, as Wow! manager keeps it. */
export interface MarketTrade {
  shopId: string;
  orderId: string;
  orderDate: string;
  orderStatus: AuOrderStatus | string;
  sellMethodSegment: string;
  settlementName: string;
  paymentStatus: string;
  shippingDate: string;
  shippingCarrier: string;
  shippingNumber: string;
  cancelStatus: '0' | '1';
  ordererName: string;
  totalPrice: string;
}

export interface MarketShop {
  shopId: string;
  apiKey: string;
  keyIssuedAt: Date;
}

export interface MarketSettings {
  /** Days an API key stays valid from its issue date (90 per the OMS manuals). */
  keyValidDays: number;
  /** When true, 完了 needs a shipping date first; the real rule is unknown, so it is a setting. */
  strictCompletion: boolean;
  /** Planned maintenance windows in JST wall-clock time, e.g. [{ from: '01:00', to: '08:30' }]. */
  maintenanceWindows: Array<{ from: string; to: string }>;
  /** Forced maintenance (a scripted outcome). */
  maintenance: boolean;
}

export const defaultSettings = (): MarketSettings => ({ keyValidDays: 90, strictCompletion: false, maintenanceWindows: [], maintenance: false });

export type MarketError = { code: string; message: string; httpStatus?: number };
type Outcome<T> = { ok: true; value: T } | { ok: false; error: MarketError };
const fail = (e: { code: string; message: string }, detail?: string, httpStatus?: number): Outcome<never> => ({
  ok: false,
  error: { code: e.code, message: detail ? `${detail}${e.message}` : e.message, httpStatus },
});

/** au PAY マーケット's order state and rules (docs/providers/au-pay.md §2; ASSUMED rules are marked there). */
export class AuPayMarket {
  readonly shops = new Map<string, MarketShop>();
  readonly trades = new Map<string, MarketTrade>();
  settings = defaultSettings();
  private nextOrderId = 100000001;

  constructor(private readonly kit: EmulatorKit) {}

  reset(): void {
    this.shops.clear();
    this.trades.clear();
    this.settings = defaultSettings();
  }

  registerShop(shopId: string, apiKey: string, keyIssuedAt = this.kit.clock.now()): MarketShop {
    const shop = { shopId, apiKey, keyIssuedAt };
    this.shops.set(shopId, shop);
    return shop;
  }

  createTrade(input: Partial<MarketTrade> & { shopId: string }): MarketTrade {
    const orderId = input.orderId ?? String(this.nextOrderId++);
    const trade: MarketTrade = {
      orderDate: jstDateTime(this.kit.clock.now()),
      orderStatus: '発送待ち',
      sellMethodSegment: '1',
      settlementName: 'クレジットカード決済',
      paymentStatus: 'Y',
      shippingDate: '',
      shippingCarrier: '',
      shippingNumber: '',
      cancelStatus: '0',
      ordererName: 'テスト 太郎',
      totalPrice: '3300',
      ...input,
      orderId,
    };
    this.trades.set(key(trade.shopId, orderId), trade);
    return trade;
  }

  trade(shopId: string, orderId: string): MarketTrade | undefined {
    return this.trades.get(key(shopId, orderId));
  }

  /** The buyer or the market canceled the trade (a scripted outcome). */
  cancelAtMarket(shopId: string, orderId: string): MarketTrade | undefined {
    const trade = this.trade(shopId, orderId);
    if (trade) Object.assign(trade, { orderStatus: 'キャンセル', cancelStatus: '1' });
    return trade;
  }

  /** Checks the API key and the store id, and whether the API is up. */
  authorize(authorization: string | undefined, shopId: string | undefined): Outcome<MarketShop> {
    if (this.inMaintenance()) return fail(AU_ERROR.maintenance);
    const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim();
    if (!shopId || !/^\d+$/.test(shopId)) return fail(AU_ERROR.badShopId);
    const shop = this.shops.get(shopId);
    if (!token || !shop || shop.apiKey !== token) return fail(AU_ERROR.authFailed, undefined, 401);
    const ageDays = (this.kit.clock.now().getTime() - shop.keyIssuedAt.getTime()) / 86_400_000;
    if (ageDays >= this.settings.keyValidDays) return fail(AU_ERROR.authFailed, undefined, 401);
    return { ok: true, value: shop };
  }

  search(shopId: string, q: { orderId?: string; orderStatus?: string; dateType?: string; startDate?: string; endDate?: string }): MarketTrade[] {
    const from = q.startDate ? parseCalendarDate(q.startDate) : null;
    const to = q.endDate ? parseCalendarDate(q.endDate) : null;
    const dateField = ({ '0': 'orderDate', '1': 'shippingDate' } as Record<string, keyof MarketTrade>)[q.dateType ?? '0'];
    return [...this.trades.values()].filter((t) => {
      if (t.shopId !== shopId) return false;
      if (q.orderId && t.orderId !== q.orderId) return false;
      if (q.orderStatus && t.orderStatus !== q.orderStatus) return false;
      if ((from || to) && dateField) {
        const day = parseCalendarDate(String(t[dateField]).slice(0, 10));
        if (!day || (from && day < from) || (to && day > to)) return false;
      }
      return true;
    });
  }

  updateTradeInfo(shopId: string, f: Record<string, string | undefined>): Outcome<MarketTrade> {
    if (!f.orderId) return fail(AU_ERROR.required, '[orderId]');
    const trade = this.trade(shopId, f.orderId);
    if (!trade) return fail(AU_ERROR.tradeNotFound);
    if (trade.orderStatus === 'キャンセル') return fail(AU_ERROR.tradeCanceled);
    const shippingDate = f.shippingDate !== undefined && f.shippingDate !== '' ? parseCalendarDate(f.shippingDate) : undefined;
    if (shippingDate === null) return fail(AU_ERROR.invalidValue, '[shippingDate]');
    if (f.shippingCarrier && !(f.shippingCarrier in SHIPPING_CARRIERS)) return fail(AU_ERROR.invalidValue, '[shippingCarrier]');
    if (f.shippingNumber !== undefined && !/^[0-9A-Za-z-]{0,40}$/.test(f.shippingNumber)) return fail(AU_ERROR.invalidValue, '[shippingNumber]');
    if (shippingDate) trade.shippingDate = shippingDate.replace(/-/g, '/');
    if (f.shippingCarrier !== undefined) trade.shippingCarrier = f.shippingCarrier;
    if (f.shippingNumber !== undefined) trade.shippingNumber = f.shippingNumber; // one number per order: a later push overwrites
    this.kit.ledger.record(
      {
        operation: 'updateTradeInfoProc' satisfies AuPayOperation, orderId: trade.orderId, applied: true,
        effect: `shippingDate=${trade.shippingDate} shippingCarrier=${trade.shippingCarrier} shippingNumber=${trade.shippingNumber}`,
      },
      this.kit.clock.now(),
    );
    return { ok: true, value: trade };
  }

  updateTradeStatus(shopId: string, f: Record<string, string | undefined>): Outcome<MarketTrade> {
    if (!f.orderId) return fail(AU_ERROR.required, '[orderId]');
    if (!f.orderStatus) return fail(AU_ERROR.required, '[orderStatus]');
    const trade = this.trade(shopId, f.orderId);
    if (!trade) return fail(AU_ERROR.tradeNotFound);
    if (trade.orderStatus === 'キャンセル') return fail(AU_ERROR.tradeCanceled);
    if (!(UPDATABLE_ORDER_STATUSES as readonly string[]).includes(f.orderStatus)) return fail(AU_ERROR.invalidValue, '[orderStatus]');
    const now = this.kit.clock.now();
    if (trade.orderStatus === f.orderStatus) {
      this.kit.ledger.record({ operation: 'updateTradeStsProc' satisfies AuPayOperation, orderId: trade.orderId, applied: false, effect: `unchanged ${trade.orderStatus}` }, now);
      return { ok: true, value: trade };
    }
    if (trade.orderStatus === '完了') return fail(AU_ERROR.statusNotAllowed);
    if (f.orderStatus === '完了') {
      if (!['発送待ち', '発送後入金待ち'].includes(trade.orderStatus)) return fail(AU_ERROR.statusNotAllowed);
      if (this.settings.strictCompletion && !trade.shippingDate) return fail(AU_ERROR.statusNotAllowed);
    }
    const before = trade.orderStatus;
    trade.orderStatus = f.orderStatus;
    this.kit.ledger.record({ operation: 'updateTradeStsProc' satisfies AuPayOperation, orderId: trade.orderId, applied: true, effect: `${before} -> ${trade.orderStatus}` }, now);
    return { ok: true, value: trade };
  }

  private inMaintenance(): boolean {
    if (this.settings.maintenance) return true;
    const hhmm = jstDateTime(this.kit.clock.now()).slice(11);
    return this.settings.maintenanceWindows.some((w) => (w.from <= w.to ? hhmm >= w.from && hhmm < w.to : hhmm >= w.from || hhmm < w.to));
  }
}

const key = (shopId: string, orderId: string) => `${shopId}:${orderId}`;
