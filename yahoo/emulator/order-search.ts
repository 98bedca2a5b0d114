import { parseYahooDateTime } from '../dates';
import type { YahooOrder } from './orders';

/** Condition keys of which at least one (or OrderId) must be given (A.3). */
const DATETIME_KEYS = ['OrderTime', 'OrderTimeFrom', 'OrderTimeTo', 'PublicationTimeFrom', 'PublicationTimeTo', 'PayMethodChangeDeadlineFrom', 'PayMethodChangeDeadlineTo'];
/** Keys taking comma-separated values (※3). */
const MULTI = ['OrderStatus', 'SettleStatus', 'PayType', 'ShipStatus'];
const EXACT = ['PayStatus', 'PayMethod', 'PayKind'];

export type Condition = Record<string, string>;
type Check = { ok: true; test: (o: YahooOrder, readOnly: boolean) => boolean } | { ok: false; field: string; reason: string };

/**
 * Turns orderList's `<Condition>` into a predicate, or names the bad key. Keys it does not know are ignored
 * (ASSUMED; the real API's answer to them is not documented).
 */
export function compileCondition(c: Condition): Check {
  if (!c.OrderId && !DATETIME_KEYS.some((k) => c[k])) return { ok: false, field: 'Condition', reason: 'OrderId or a datetime condition is required' };
  const tests: Array<(o: YahooOrder, readOnly: boolean) => boolean> = [];

  for (const base of ['OrderTime', 'PublicationTime', 'PayMethodChangeDeadline'] as const) {
    for (const side of ['From', 'To'] as const) {
      const raw = c[`${base}${side}`];
      if (!raw) continue;
      if (!/^\d{14}$/.test(raw)) return { ok: false, field: `${base}${side}`, reason: 'YYYYMMDDHH24MISS' };
      const at = parseYahooDateTime(raw);
      if (!at) return { ok: false, field: `${base}${side}`, reason: 'not a real date' };
      // ASSUMED: To is inclusive to the second
      tests.push((o) => {
        const v = o[base];
        if (!v) return false;
        return side === 'From' ? v.getTime() >= at.getTime() : v.getTime() < at.getTime() + 1000;
      });
    }
  }
  if (c.OrderTime) {
    const at = /^\d{14}$/.test(c.OrderTime) ? parseYahooDateTime(c.OrderTime) : null;
    if (!at) return { ok: false, field: 'OrderTime', reason: 'YYYYMMDDHH24MISS' };
    tests.push((o) => Math.floor(o.OrderTime.getTime() / 1000) === Math.floor(at.getTime() / 1000));
  }
  if (c.OrderId) tests.push((o) => o.OrderId === c.OrderId);
  if (c.IsPayMethodChangePossible !== undefined) {
    if (c.IsPayMethodChangePossible !== 'true') return { ok: false, field: 'IsPayMethodChangePossible', reason: 'only true can be searched' };
    tests.push((o) => o.IsPayMethodChangePossible);
  }
  if (c.IsSeen !== undefined) {
    if (c.IsSeen !== 'true' && c.IsSeen !== 'false') return { ok: false, field: 'IsSeen', reason: 'true or false' };
    tests.push((o) => String(o.IsSeen) === c.IsSeen);
  }
  for (const k of MULTI) {
    if (!c[k]) continue;
    const values = new Set(c[k].split(',').map((s) => s.trim()));
    tests.push((o) => values.has(o[k as 'OrderStatus']));
  }
  for (const k of EXACT) if (c[k]) tests.push((o) => o[k as 'PayStatus'] === c[k]);
  if (c.ShipInvoiceNumber) tests.push((o) => o.ShipInvoiceNumber1 === c.ShipInvoiceNumber || o.ShipInvoiceNumber2 === c.ShipInvoiceNumber);

  const mode = c.ReadOnlyMode ?? '0';
  if (!['0', '1', '2'].includes(mode)) return { ok: false, field: 'ReadOnlyMode', reason: '0, 1 or 2' };
  if (mode === '0') tests.push((_o, ro) => !ro);
  if (mode === '1') tests.push((_o, ro) => ro);
  // held orders are hidden unless FraudHoldDisplayType=1
  if (c.FraudHoldDisplayType !== '1') tests.push((o) => o.FraudHoldStatus !== '1');

  return { ok: true, test: (o, ro) => tests.every((t) => t(o, ro)) };
}
