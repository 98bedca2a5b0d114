import { YAHOO_ERROR } from '../errors';
import { PAY_METHOD, type SettableOrderStatus } from '../schemas';
import { isWithinPayMethodChangeWindow, payMethodChangeDeadline, settleStatusAfterChange } from '../pay-method-change';
import type { EmulatorKit } from '../../sandbox/toolkit/emulator-kit';
import { shipRequestProblem, type ShipRequest } from './ship-request';

export interface OrderItem {
  LineId: string;
  ItemId: string;
  Title: string;
  SubCode: string;
  UnitPrice: string;
  Quantity: string;
}

/** Yahoo's record of one order. Codes are strings as on the wire; instants are Dates, rendered in JST. */
export interface YahooOrder {
  sellerId: string;
  OrderId: string;
  Version: number;
  OrderTime: Date;
  LastUpdateTime: Date;
  PublicationTime: Date;
  OrderStatus: string;
  IsSeen: boolean;
  CancelReason: string;
  CancelReasonDetail: string;
  FraudHoldStatus: string;
  PayStatus: string;
  SettleStatus: string;
  PayType: string;
  PayKind: string;
  PayMethod: string;
  PayMethodName: string;
  PayDate: string;
  PayMethodChangeDeadline: Date | null;
  PayMethodChangeDoneDate: Date | null;
  IsPayMethodChangePossible: boolean;
  ShipStatus: string;
  ShipCompanyCode: string;
  ShipInvoiceNumber1: string;
  ShipInvoiceNumber2: string;
  ShipInvoiceNumberEmptyReason: string;
  ShipUrl: string;
  ShipDate: string;
  ShipNotes: string;
  TotalPrice: string;
  items: OrderItem[];
  /** When Yahoo captured the card authorization (shipping or completing a card order); null: not captured. Not a wire field. */
  capturedAt: Date | null;
}

export interface OrderSettings {
  /** N in 「翌日からN日後の23:59」 (A.5); 7 per the docs. */
  payMethodChangeDays: number;
  /** ASSUMED: Yahoo does not cancel an オーソリエラー order when the window closes; true makes it do so (CancelReason 200). */
  autoCancelOnDeadline: boolean;
  /** Minutes after OrderTime while IsReadOnly=1 (the buyer may still cancel); about 10 per the docs. */
  readOnlyMinutes: number;
  /** A fault for clients' fallbacks: false answers PayMethodChangeDeadline empty in orderList and orderInfo. */
  emitPayMethodChangeDeadline: boolean;
}
export const defaultOrderSettings = (): OrderSettings => ({ payMethodChangeDays: 7, autoCancelOnDeadline: false, readOnlyMinutes: 10, emitPayMethodChangeDeadline: true });

export type OrderError = { code: string; message: string; httpStatus: number };
export type Outcome<T> = { ok: true; value: T; warnings: Array<{ code: string; message: string }> } | { ok: false; error: OrderError };
const fail = (e: OrderError, detail?: string): Outcome<never> => ({ ok: false, error: { ...e, message: detail ? `${e.message}: ${detail}` : e.message } });
const done = <T>(value: T, warnings: Array<{ code: string; message: string }> = []): Outcome<T> => ({ ok: true, value, warnings });
const SAME = { code: 'od91705', message: 'The status is not changed.' };
const ALREADY_CAPTURED = { code: 'od91113', message: 'The card payment is already captured.' };

/**
 * Card methods whose authorization Yahoo captures when the order moves to 出荷済み or 完了 (A.6: 出荷済み triggers
 * the card capture). ASSUMED: only an authorized order (SettleStatus 3 支払完了) is captured, and a capture shows as
 * SettleStatus 5 決済完了 in orderInfo.
 */
const CAPTURED_CARD_METHODS: ReadonlySet<string> = new Set(['payment_a1']);

/** The SettleStatus a method starts from (ASSUMED, A.5): one rule with the sweep's second recipe (yahoo/pay-method-change.ts). */
const startSettleStatus = settleStatusAfterChange;
const payKindOf = (payMethod: string) => (payMethod === 'payment_a1' || payMethod === 'payment_a19' ? '0' : payMethod === 'payment_a6' || payMethod === 'payment_a7' ? '5' : '7');

/** The store's orders and Yahoo's rules on them (docs/providers/yahoo.md §2–§6; ASSUMED rules are marked). */
export class YahooOrders {
  readonly orders = new Map<string, YahooOrder>();
  settings = defaultOrderSettings();
  private nextId = 10000001;

  constructor(private readonly kit: EmulatorKit) {}

  reset(): void {
    this.orders.clear();
    this.settings = defaultOrderSettings();
  }

  create(input: Partial<Omit<YahooOrder, 'OrderTime'>> & { sellerId: string; OrderTime?: Date }): YahooOrder {
    const now = this.kit.clock.now();
    const orderTime = input.OrderTime ?? now;
    const payMethod = input.PayMethod ?? 'payment_a1';
    const order: YahooOrder = {
      OrderId: `${input.sellerId}-${this.nextId++}`,
      Version: 1, OrderStatus: '2', IsSeen: false, CancelReason: '', CancelReasonDetail: '', FraudHoldStatus: '0',
      PayStatus: '0', SettleStatus: startSettleStatus(payMethod), PayType: '0', PayKind: payKindOf(payMethod), PayMethod: payMethod,
      PayMethodName: (PAY_METHOD as Record<string, string>)[payMethod] ?? payMethod, PayDate: '',
      PayMethodChangeDeadline: null, PayMethodChangeDoneDate: null, IsPayMethodChangePossible: false,
      ShipStatus: '1', ShipCompanyCode: '', ShipInvoiceNumber1: '', ShipInvoiceNumber2: '', ShipInvoiceNumberEmptyReason: '',
      ShipUrl: '', ShipDate: '', ShipNotes: '', TotalPrice: '1000',
      items: [{ LineId: '1', ItemId: 'item-1', Title: 'テスト商品', SubCode: '', UnitPrice: '1000', Quantity: '1' }],
      capturedAt: null,
      ...input,
      OrderTime: orderTime, LastUpdateTime: now, PublicationTime: input.PublicationTime ?? orderTime,
    };
    this.orders.set(order.OrderId, order);
    this.kit.ledger.record({ operation: 'createOrder', orderId: order.OrderId, applied: true, effect: `OrderStatus=${order.OrderStatus} PayMethod=${order.PayMethod}` }, now);
    return order;
  }

  /** The order as of now: a passed re-payment deadline turns the flag off first. */
  get(sellerId: string, orderId: string): YahooOrder | undefined {
    const order = this.orders.get(orderId);
    if (!order || order.sellerId !== sellerId) return undefined;
    this.expireWindow(order);
    return order;
  }

  all(sellerId: string): YahooOrder[] {
    return [...this.orders.values()].filter((o) => o.sellerId === sellerId).map((o) => (this.expireWindow(o), o));
  }

  isReadOnly(o: YahooOrder): boolean {
    return this.kit.clock.now().getTime() < o.OrderTime.getTime() + this.settings.readOnlyMinutes * 60_000;
  }

  private touch(o: YahooOrder, operation: string, effect: string): void {
    const now = this.kit.clock.now();
    o.Version += 1;
    o.LastUpdateTime = now;
    this.kit.ledger.record({ operation, orderId: o.OrderId, applied: true, effect }, now);
  }

  private expireWindow(o: YahooOrder): void {
    if (!o.IsPayMethodChangePossible || !o.PayMethodChangeDeadline) return;
    if (isWithinPayMethodChangeWindow(o.PayMethodChangeDeadline, this.kit.clock.now())) return;
    o.IsPayMethodChangePossible = false;
    if (this.settings.autoCancelOnDeadline) this.cancel(o, '200', '', 'deadline');
    else this.touch(o, 'payMethodChangeDeadline', 'IsPayMethodChangePossible true -> false (deadline passed)');
  }

  private cancel(o: YahooOrder, reason: string, detail: string, operation: string): void {
    const before = o.OrderStatus;
    o.OrderStatus = '4';
    o.CancelReason = reason;
    o.CancelReasonDetail = detail;
    o.IsPayMethodChangePossible = false;
    // ASSUMED: a Yahoo-provided payment still open or in error becomes 6 キャンセル; 2 stays for non-Yahoo methods;
    // a captured card becomes 11 売上取消
    if (['1', '3', '4', '9', '10'].includes(o.SettleStatus)) o.SettleStatus = '6';
    else if (o.capturedAt) o.SettleStatus = '11';
    this.touch(o, operation, `OrderStatus ${before} -> 4 CancelReason=${reason}`);
  }

  // ---- scripted outcomes (control plane) ----

  failAuthorization(o: YahooOrder, at = this.kit.clock.now()): YahooOrder {
    o.SettleStatus = '10';
    o.IsPayMethodChangePossible = true;
    o.PayMethodChangeDeadline = payMethodChangeDeadline(at, this.settings.payMethodChangeDays);
    o.PayMethodChangeDoneDate = null;
    // ASSUMED: an unpaid order is not shippable (ShipStatus 0 出荷不可) until the store releases it
    if (o.ShipStatus === '1') o.ShipStatus = '0';
    this.touch(o, 'authorizationError', `SettleStatus -> 10, deadline ${o.PayMethodChangeDeadline.toISOString()}`);
    return o;
  }

  buyerChangesPayMethod(o: YahooOrder, payMethod: string, payMethodName?: string): Outcome<YahooOrder> {
    this.expireWindow(o);
    if (!o.IsPayMethodChangePossible) return fail(YAHOO_ERROR.statusNotAllowed, 'the order cannot change its payment method');
    o.PayMethod = payMethod;
    o.PayMethodName = payMethodName ?? (PAY_METHOD as Record<string, string>)[payMethod] ?? payMethod;
    o.PayKind = payKindOf(payMethod);
    o.SettleStatus = startSettleStatus(payMethod);
    o.PayMethodChangeDoneDate = this.kit.clock.now();
    o.IsPayMethodChangePossible = false;
    this.touch(o, 'payMethodChange', `PayMethod -> ${payMethod}, SettleStatus -> ${o.SettleStatus}`);
    return done(o);
  }

  buyerCancels(o: YahooOrder, reason: string): Outcome<YahooOrder> {
    if (o.OrderStatus === '4' || o.OrderStatus === '5') return fail(YAHOO_ERROR.statusNotAllowed, `OrderStatus is ${o.OrderStatus}`);
    this.cancel(o, reason, '', 'buyerCancel');
    return done(o);
  }

  // ---- wire updates (A.6) ----

  changeStatus(o: YahooOrder, f: { status: string; isPointFix: string | undefined; cancelReason?: string; cancelReasonDetail?: string }): Outcome<YahooOrder> {
    if (!['1', '2', '3', '4', '5'].includes(f.status)) return fail(YAHOO_ERROR.invalidParameter, 'Order/OrderStatus');
    if (f.isPointFix !== 'true' && f.isPointFix !== 'false') return fail(YAHOO_ERROR.invalidParameter, 'Target/IsPointFix');
    const status = f.status as SettableOrderStatus;
    if (status === o.OrderStatus) {
      this.kit.ledger.record({ operation: 'orderStatusChange', orderId: o.OrderId, applied: false, effect: `unchanged ${o.OrderStatus}` }, this.kit.clock.now());
      return done(o, [SAME]);
    }
    if (o.OrderStatus === '4' || o.OrderStatus === '5') return fail(YAHOO_ERROR.statusNotAllowed, `OrderStatus is ${o.OrderStatus}`);
    if (status === '5') {
      if (f.isPointFix !== 'true') return fail(YAHOO_ERROR.invalidParameter, 'Target/IsPointFix must be true to complete');
      const before = o.OrderStatus;
      const warnings = o.capturedAt && CAPTURED_CARD_METHODS.has(o.PayMethod) ? [ALREADY_CAPTURED] : [];
      const captures = this.capturable(o);
      o.OrderStatus = '5';
      this.touch(o, 'orderStatusChange', `OrderStatus ${before} -> 5`);
      if (captures) this.captureCard(o);
      o.SettleStatus = '5'; // 決済完了 for every method when the order completes
      return done(o, warnings);
    }
    if (status === '4') {
      const reason = f.cancelReason || '210'; // 欠品 when omitted
      if (!['100', '110', '120', '130', '140', '150', '160', '170', '180', '200', '210', '220', '230'].includes(reason)) return fail(YAHOO_ERROR.invalidParameter, 'Order/CancelReason');
      const detail = f.cancelReasonDetail ?? '';
      if (reason === '230' && (detail.length < 10 || detail.length > 200)) return fail(YAHOO_ERROR.invalidParameter, 'Order/CancelReasonDetail needs 10-200 characters');
      this.cancel(o, reason, detail, 'orderStatusChange');
      return done(o);
    }
    const before = o.OrderStatus;
    o.OrderStatus = status;
    this.touch(o, 'orderStatusChange', `OrderStatus ${before} -> ${status}`);
    return done(o);
  }

  changePayStatus(o: YahooOrder, f: { payStatus: string; payDate?: string }): Outcome<YahooOrder> {
    if (f.payStatus !== '0' && f.payStatus !== '1') return fail(YAHOO_ERROR.invalidParameter, 'Order/Pay/PayStatus');
    if (f.payDate !== undefined && !/^\d{8}$/.test(f.payDate)) return fail(YAHOO_ERROR.invalidParameter, 'Order/Pay/PayDate (YYYYMMDD)');
    if (o.OrderStatus === '4') return fail(YAHOO_ERROR.statusNotAllowed, 'the order is cancelled');
    const payDate = f.payDate ? `${f.payDate.slice(0, 4)}-${f.payDate.slice(4, 6)}-${f.payDate.slice(6)}` : o.PayDate;
    if (o.PayStatus === f.payStatus && payDate === o.PayDate) {
      this.kit.ledger.record({ operation: 'orderPayStatusChange', orderId: o.OrderId, applied: false, effect: `unchanged ${o.PayStatus}` }, this.kit.clock.now());
      return done(o, [SAME]);
    }
    o.PayStatus = f.payStatus;
    o.PayDate = payDate;
    this.touch(o, 'orderPayStatusChange', `PayStatus -> ${o.PayStatus} PayDate=${o.PayDate}`);
    return done(o);
  }

  /** Whether the order is an authorized card payment not yet captured (ASSUMED, see CAPTURED_CARD_METHODS). */
  private capturable(o: YahooOrder): boolean {
    return !o.capturedAt && CAPTURED_CARD_METHODS.has(o.PayMethod) && o.SettleStatus === '3';
  }

  /** Captures an authorized card order once, with its own ledger entry. */
  private captureCard(o: YahooOrder): void {
    if (!this.capturable(o)) return;
    o.capturedAt = this.kit.clock.now();
    o.SettleStatus = '5';
    this.kit.ledger.record({ operation: 'cardCapture', orderId: o.OrderId, applied: true, effect: `SettleStatus 3 -> 5 (${o.PayMethod}, ${o.TotalPrice} yen)` }, o.capturedAt);
  }

  /**
   * orderShipStatusChange (A.6): the request is checked first (shipRequestProblem); an empty element clears its field.
   * ASSUMED: an invoice number clears a stored ShipInvoiceNumberEmptyReason and an empty reason clears stored numbers,
   * so the two never stand together. Moving a card order to 3 出荷済み captures it; a later request to 3 that still
   * changes something answers od91113, one that changes nothing od91705.
   */
  changeShipStatus(o: YahooOrder, f: ShipRequest): Outcome<YahooOrder> {
    const problem = shipRequestProblem(f, o);
    if (problem) return fail(YAHOO_ERROR.invalidParameter, problem);
    if (o.OrderStatus === '4') return fail(YAHOO_ERROR.statusNotAllowed, 'the order is cancelled');
    const invoiceGiven = Boolean(f.ShipInvoiceNumber1 || f.ShipInvoiceNumber2);
    const next = {
      ShipStatus: f.ShipStatus ?? o.ShipStatus, ShipCompanyCode: f.ShipCompanyCode ?? o.ShipCompanyCode,
      ShipInvoiceNumber1: f.ShipInvoiceNumber1 ?? (f.ShipInvoiceNumberEmptyReason ? '' : o.ShipInvoiceNumber1),
      ShipInvoiceNumber2: f.ShipInvoiceNumber2 ?? (f.ShipInvoiceNumberEmptyReason ? '' : o.ShipInvoiceNumber2),
      ShipInvoiceNumberEmptyReason: f.ShipInvoiceNumberEmptyReason ?? (invoiceGiven ? '' : o.ShipInvoiceNumberEmptyReason),
      ShipUrl: f.ShipUrl ?? o.ShipUrl, ShipNotes: f.ShipNotes ?? o.ShipNotes,
      ShipDate: f.ShipDate ? `${f.ShipDate.slice(0, 4)}-${f.ShipDate.slice(4, 6)}-${f.ShipDate.slice(6)}` : f.ShipDate ?? o.ShipDate,
    };
    const changed = (Object.keys(next) as Array<keyof typeof next>).filter((k) => next[k] !== o[k]);
    if (!changed.length) {
      this.kit.ledger.record({ operation: 'orderShipStatusChange', orderId: o.OrderId, applied: false, effect: `unchanged: ShipStatus=${o.ShipStatus}` }, this.kit.clock.now());
      return done(o, [SAME]);
    }
    // the ledger says what changed; notes are free text, so only their length
    const effect = changed.map((k) =>
      k === 'ShipNotes' ? `ShipNotes changed (${[...next[k]].length} chars)` : next[k] ? `${k}=${next[k]}${o[k] ? ` (was ${o[k]})` : ''}` : `${k} cleared (was ${o[k]})`,
    );
    const shipped = next.ShipStatus === '3';
    const warnings = shipped && o.capturedAt && CAPTURED_CARD_METHODS.has(o.PayMethod) ? [ALREADY_CAPTURED] : [];
    const captures = shipped && this.capturable(o);
    if (captures) effect.push('card captured');
    Object.assign(o, next);
    this.touch(o, 'orderShipStatusChange', effect.join(', '));
    if (captures) this.captureCard(o);
    return done(o, warnings);
  }
}
