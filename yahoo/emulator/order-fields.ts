import { formatIsoDate, formatYahooDateTime } from '../dates';
import { DETAIL_FIELDS, ITEM_FIELDS, PAY_FIELDS, SHIP_FIELDS } from '../schemas';
import { cdata } from '../xml';
import type { YahooOrder } from './orders';

/** Free-text fields sent as CDATA (names, URLs that may hold `&`, details). */
const FREE_TEXT = new Set(['PayMethodName', 'CancelReasonDetail', 'ShipUrl', 'ShipNotes', 'Title']);

/** One field's wire value: instants as `YYYY-MM-DDTHH:MI:SS+09:00`, booleans `true`/`false`, empty as "". */
export function fieldValue(o: YahooOrder, name: string, isReadOnly: boolean, hideDeadline = false): unknown {
  if (name === 'IsReadOnly') return isReadOnly ? '1' : '0';
  if (name === 'PayMethodChangeDeadline' && hideDeadline) return '';
  if (!(name in o) || name === 'items' || name === 'sellerId' || name === 'capturedAt') return undefined; // not wire fields
  const v = o[name as keyof YahooOrder];
  if (v === null) return '';
  if (v instanceof Date) return name === 'PayDate' ? formatIsoDate(v) : formatYahooDateTime(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return FREE_TEXT.has(name) && v ? cdata(v) : v;
  return undefined;
}

/** orderList's flat OrderInfo: the requested fields in order, unknown or item fields left out (ASSUMED). */
export function listFields(o: YahooOrder, fields: string[], isReadOnly: boolean, hideDeadline = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (f === 'PayMethodChangeDoneDate') continue; // not an orderList field (A.3)
    const v = fieldValue(o, f, isReadOnly, hideDeadline);
    if (v !== undefined) out[f] = v;
  }
  return out;
}

const group = (names: readonly string[], fields: Set<string>, o: YahooOrder, ro: boolean, hideDeadline = false) => {
  const out: Record<string, unknown> = {};
  for (const n of names) if (fields.has(n)) out[n] = fieldValue(o, n, ro, hideDeadline);
  return out;
};

/** orderInfo's OrderInfo: order-level fields, then `<Pay>`, `<Ship>`, `<Detail>`, then one `<Item>` per line (A.4). */
export function infoFields(o: YahooOrder, fields: string[], isReadOnly: boolean, hideDeadline = false): Record<string, unknown> {
  const wanted = new Set(fields);
  const grouped = new Set<string>([...PAY_FIELDS, ...SHIP_FIELDS, ...DETAIL_FIELDS, ...ITEM_FIELDS]);
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (grouped.has(f)) continue;
    const v = fieldValue(o, f, isReadOnly);
    if (v !== undefined) out[f] = v;
  }
  const pay = group(PAY_FIELDS, wanted, o, isReadOnly, hideDeadline);
  const ship = group(SHIP_FIELDS, wanted, o, isReadOnly);
  const detail = group(DETAIL_FIELDS, wanted, o, isReadOnly);
  if (Object.keys(pay).length) out.Pay = pay;
  if (Object.keys(ship).length) out.Ship = ship;
  if (Object.keys(detail).length) out.Detail = detail;
  const itemFields = ITEM_FIELDS.filter((f) => wanted.has(f));
  if (itemFields.length) {
    out.Item = o.items.map((it) => Object.fromEntries(itemFields.map((f) => [f, FREE_TEXT.has(f) && it[f] ? cdata(it[f]) : it[f]])));
  }
  return out;
}
