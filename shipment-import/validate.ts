import type { Pool } from 'pg';
import { knownOrders, paymentMethodProviders, type KnownOrder } from '../db/known-orders';
import { CARRIER_CODES, carrierOf, type CarrierCode } from './carriers';
import { captureOf, FLAG_WORDS, MALL_WORD_LIST, mallOf, shipDateModeOf, trackingNumberApiOf, type ColumnField, type Mall } from './columns';
import { shipDateOf } from './dates';
import type { RawRow } from './file-rows';
import type { RowProblem, ShipmentChannel, ShipmentFlags, ShipmentPayment, ShipmentRow } from './types';

/**
 * The whole file's validation, before anything is stored: every row checked on its own (required cells, order number,
 * date, carrier, tracking number, flag words), against the file (a 受注番号 twice) and against renkei's records (an
 * order renkei has never seen with nothing saying where it was sold, a 決済方法 the shop does not have, an au PAY order
 * with no market order number, #1075, Yahoo's invoice rules). Valid rows come back resolved: channel, payment, flags.
 */
export interface Validation {
  valid: ShipmentRow[];
  /** the rows refused, each with its problems' reasons (stored as `invalid` when valid rows go ahead) */
  invalid: Array<{ line: number; orderId: string; detail: string }>;
  /** every problem, in line order */
  problems: RowProblem[];
}

const ORDER_NUMBER = /^[A-Za-z0-9_-]{1,64}$/;
const TRACKING_NUMBER = /^[A-Za-z0-9-]{1,40}$/;
const METHOD_CODE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const PAYMENT_REF = /^[A-Za-z0-9_.:-]{1,128}$/;
const AU_PAY_ORDER_ID = /^\d{1,20}$/;
const MAX_MANAGEMENT_CLASS = 20;

export const REQUIRED_TRACKING_1075 = '「宅配伝票番号API連携:連携する」の場合、配送伝票番号は入力必須です (#1075)';
export const unknownOrderReason = (orderId: string) => `unknown order: renkei has no record of order ${orderId} (give モール or 決済方法)`;

/** A cell echoed in a reason: bounded, quoted. */
const shown = (v: string) => JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);

export async function validateShipmentRows(
  db: Pick<Pool, 'query'>,
  shopId: string,
  rows: readonly RawRow[],
  o: { flags: ShipmentFlags; columnOf: (f: ColumnField) => string },
): Promise<Validation> {
  const problems: RowProblem[] = [];
  const checked = rows.map((r) => checkRow(r, o.columnOf));

  // a 受注番号 again in the file: the first one stands
  const firstLine = new Map<string, number>();
  for (const c of checked) {
    if (!c.orderId) continue;
    const first = firstLine.get(c.orderId);
    if (first === undefined) firstLine.set(c.orderId, c.line);
    else c.problem('orderId', `duplicate of line ${first}`);
  }

  const known = await knownOrders(db, shopId, [...firstLine.keys()]);
  const methods = await paymentMethodProviders(db, shopId);

  const valid: ShipmentRow[] = [];
  const invalid: Validation['invalid'] = [];
  for (const c of checked) {
    const row = c.orderId && c.shipDate && c.carrier ? resolve(c, known.get(c.orderId), methods, o.flags) : undefined;
    if (row && c.problems.length === 0) valid.push(row);
    else invalid.push({ line: c.line, orderId: c.rawOrderId.slice(0, 64), detail: c.problems.map((p) => `${p.column}: ${p.reason}`).join('; ') });
  }
  for (const c of checked) problems.push(...c.problems);
  problems.sort((a, b) => a.line - b.line);
  return { valid, invalid, problems };
}

interface CheckedRow {
  line: number;
  rawOrderId: string;
  orderId?: string;
  shipDate?: string;
  carrier?: CarrierCode;
  trackingNumber: string | null;
  /** the 配送伝票番号 cell was filled (valid or not) */
  trackingCell: boolean;
  mall?: Mall;
  mallOrderId?: string;
  managementClass?: string;
  paymentMethod?: string;
  paymentRef?: string;
  flags: Partial<ShipmentFlags>;
  problems: RowProblem[];
  problem(field: ColumnField, reason: string): void;
}

/** The checks a row needs nothing else for. */
function checkRow(r: RawRow, columnOf: (f: ColumnField) => string): CheckedRow {
  const c: CheckedRow = {
    line: r.line, rawOrderId: '', trackingNumber: null, trackingCell: false, flags: {}, problems: [...(r.problems ?? [])],
    problem(field, reason) {
      this.problems.push({ line: r.line, column: columnOf(field), reason });
    },
  };
  const text = (f: ColumnField): string => {
    const v = r.values[f];
    return typeof v === 'string' ? v.trim() : '';
  };
  const required = (f: ColumnField): string | undefined => {
    const v = text(f);
    if (!v) c.problem(f, 'required: the cell is empty');
    return v || undefined;
  };

  c.rawOrderId = text('orderId');
  const orderId = required('orderId');
  if (orderId !== undefined) {
    if (ORDER_NUMBER.test(orderId)) c.orderId = orderId;
    else c.problem('orderId', `bad order number ${shown(orderId)}: letters, digits, _ or -, at most 64`);
  }
  const shipDate = required('shipDate');
  if (shipDate !== undefined) {
    c.shipDate = shipDateOf(shipDate);
    if (!c.shipDate) c.problem('shipDate', `bad date ${shown(shipDate)}: a real date as YYYY-MM-DD, YYYY/MM/DD, YYYY/M/D or YYYYMMDD`);
  }
  const carrier = required('carrier');
  if (carrier !== undefined) {
    c.carrier = carrierOf(carrier);
    if (!c.carrier) c.problem('carrier', `unknown carrier code ${shown(carrier)}; one of ${CARRIER_CODES.join(', ')} or their names`);
  }
  const tracking = text('trackingNumber');
  if (tracking) {
    c.trackingCell = true;
    if (TRACKING_NUMBER.test(tracking)) c.trackingNumber = tracking;
    else c.problem('trackingNumber', `bad tracking number ${shown(tracking)}: half-width letters, digits and -, at most 40`);
  }
  const mall = text('mall');
  if (mall) {
    c.mall = mallOf(mall);
    if (!c.mall) c.problem('mall', `unknown モール ${shown(mall)}: blank, ${MALL_WORD_LIST}`);
  }
  const mallOrderId = text('mallOrderId');
  if (mallOrderId) {
    if (ORDER_NUMBER.test(mallOrderId)) c.mallOrderId = mallOrderId;
    else c.problem('mallOrderId', `bad モール注文番号 ${shown(mallOrderId)}: letters, digits, _ or -, at most 64`);
  }
  const managementClass = text('managementClass');
  if (managementClass) {
    if (managementClass.length <= MAX_MANAGEMENT_CLASS) c.managementClass = managementClass;
    else c.problem('managementClass', `管理区分 is at most ${MAX_MANAGEMENT_CLASS} characters`);
  }
  const method = text('paymentMethod');
  if (method) {
    if (METHOD_CODE.test(method)) c.paymentMethod = method;
    else c.problem('paymentMethod', `bad 決済方法 ${shown(method)}: lower-case letters, digits, _ or -, at most 64`);
  }
  const ref = text('paymentRef');
  if (ref) {
    if (PAYMENT_REF.test(ref)) c.paymentRef = ref;
    else c.problem('paymentRef', `bad 決済番号 ${shown(ref)}: letters, digits, _ . : or -, at most 128`);
  }
  const flag = <K extends keyof ShipmentFlags>(f: K, of: (cell: string) => ShipmentFlags[K] | undefined) => {
    const v = r.values[f];
    if (typeof v === 'boolean') return void ((c.flags as Record<string, unknown>)[f] = v);
    const cell = text(f);
    if (!cell) return;
    const value = of(cell);
    if (value === undefined) c.problem(f, `${shown(cell)} is not one of ${FLAG_WORDS[f]}`);
    else c.flags[f] = value;
  };
  flag('shipDateMode', shipDateModeOf);
  flag('capture', captureOf);
  flag('trackingNumberApi', trackingNumberApiOf);
  return c;
}

/** The row resolved against renkei's records; problems found here are added to the row. */
function resolve(c: CheckedRow, known: KnownOrder | undefined, methods: Map<string, string>, defaults: ShipmentFlags): ShipmentRow | undefined {
  const orderId = c.orderId!;
  if (!c.mall && !c.paymentMethod && !known) {
    c.problem('orderId', unknownOrderReason(orderId));
    return undefined;
  }
  const flags: ShipmentFlags = {
    shipDateMode: c.flags.shipDateMode ?? defaults.shipDateMode,
    capture: c.flags.capture ?? defaults.capture,
    trackingNumberApi: c.flags.trackingNumberApi ?? defaults.trackingNumberApi,
  };

  let channel: ShipmentChannel = { kind: 'own' };
  if (c.mall === 'au-pay' || (!c.mall && known?.auPay)) {
    const auPayOrderId = c.mallOrderId ?? known?.auPay?.auPayOrderId;
    if (!auPayOrderId) c.problem('mallOrderId', `au PAY order ${orderId}: no モール注文番号 given and renkei has none stored`);
    else if (!AU_PAY_ORDER_ID.test(auPayOrderId)) c.problem('mallOrderId', `an au PAY order number is digits, at most 20 (${shown(auPayOrderId)})`);
    else channel = { kind: 'au-pay', auPayOrderId, managementClass: c.managementClass ?? known?.auPay?.managementClass ?? '通常' };
  } else if (c.mall === 'yahoo' || (!c.mall && known?.yahoo)) {
    channel = { kind: 'yahoo', yahooOrderId: c.mallOrderId ?? orderId };
    const reason = c.trackingNumber ? yahooInvoiceProblem(c.carrier!, c.trackingNumber) : undefined;
    if (reason) c.problem('trackingNumber', reason);
  }

  let payment: ShipmentPayment = { method: null, provider: null, ref: c.paymentRef ?? null };
  if (c.paymentMethod) {
    const provider = methods.get(c.paymentMethod);
    if (!provider) c.problem('paymentMethod', `unknown 決済方法 ${c.paymentMethod}: the shop has no payment method settings for it`);
    else {
      const ref = c.paymentRef ?? (provider === 'gmo-pg' ? orderId : provider === 'amazon-pay' ? known?.amazonPay?.chargeId ?? null : null);
      payment = { method: c.paymentMethod, provider, ref };
    }
  } else if (known?.amazonPay) {
    payment = { method: known.cancel?.method ?? null, provider: 'amazon-pay', ref: c.paymentRef ?? known.amazonPay.chargeId };
  } else if (known?.cancel?.gmoPgOrderId) {
    payment = { method: known.cancel.method, provider: 'gmo-pg', ref: c.paymentRef ?? known.cancel.gmoPgOrderId };
  }

  if (flags.trackingNumberApi && !c.trackingCell) {
    c.problem('trackingNumber', REQUIRED_TRACKING_1075);
  }
  return { line: c.line, orderId, shipDate: c.shipDate!, carrier: c.carrier!, trackingNumber: c.trackingNumber, channel, payment, flags };
}

/** Yahoo's invoice number rules (specs/jp-marketplaces.md A.6): Yamato digits and '-', ≤ 14; 日本郵便 11–13 without '-'. */
export function yahooInvoiceProblem(carrier: CarrierCode, invoice: string): string | undefined {
  if (carrier === 'yamato' && !/^[0-9-]{1,14}$/.test(invoice)) return `Yahoo: ヤマト運輸の伝票番号は数字と - で14文字まで (${shown(invoice)})`;
  const bare = invoice.replace(/-/g, '');
  if (carrier === 'japan-post' && (bare.length < 11 || bare.length > 13)) return `Yahoo: 日本郵便の伝票番号は - を除いて11～13文字 (${shown(invoice)})`;
  return undefined;
}
