import {
  LEGACY_SHIP_COMPANY_CODES, LEGACY_SHIP_COMPANY_CODES_UNTIL, SHIP_COMPANY, SHIP_COMPANY_JAPAN_POST, SHIP_COMPANY_YAMATO,
  SHIP_INVOICE_EMPTY_REASON, SHIP_STATUS,
} from '../schemas';
import { parseYahooDateTime } from '../dates';

/** The orderShipStatusChange fields the sandbox reads (A.6); absent elements are undefined, empty ones "". */
export interface ShipRequest {
  IsPointFix?: string;
  OperationUser?: string;
  ShipStatus?: string;
  ShipCompanyCode?: string;
  ShipInvoiceNumber1?: string;
  ShipInvoiceNumber2?: string;
  ShipInvoiceNumberEmptyReason?: string;
  ShipUrl?: string;
  /** whether ShipUrl came wrapped in CDATA on the wire (required when it holds '&') */
  shipUrlInCdata?: boolean;
  ShipNotes?: string;
  ShipDate?: string;
}

const has = (table: object, code: string) => Object.prototype.hasOwnProperty.call(table, code);
const realDate = (v: string) => /^\d{8}$/.test(v) && parseYahooDateTime(v) !== null;

/** The invoice-number rule of one carrier (A.6), or undefined when the number passes it. */
function invoiceProblem(carrier: string, n: string): string | undefined {
  if (!/^[0-9A-Za-z-]+$/.test(n)) return 'half-width alphanumerics and - only';
  if (carrier === SHIP_COMPANY_YAMATO && !(/^[0-9-]+$/.test(n) && Buffer.byteLength(n) <= 14)) return 'ヤマト運輸 (1001): digits and - only, at most 14 bytes';
  const digits = n.replace(/-/g, '').length;
  if (carrier === SHIP_COMPANY_JAPAN_POST && (digits < 11 || digits > 13)) return '日本郵便 (1003): 11-13 characters once hyphens are removed';
  return undefined;
}

/**
 * What is wrong with an orderShipStatusChange request on an order (the XPath and the rule), or undefined when Yahoo's
 * documented rules (A.2, A.6) accept it. `order` gives what the request leaves out: the carrier an invoice number is
 * checked against, and the order time that decides whether the pre-2018-10 carrier codes are allowed.
 */
export function shipRequestProblem(f: ShipRequest, order: { OrderTime: Date; ShipCompanyCode: string }): string | undefined {
  if (f.IsPointFix !== 'true') return 'Target/IsPointFix must be true';
  if (f.OperationUser !== undefined && f.OperationUser.length > 120) return 'Target/OperationUser: at most 120 characters';
  if (f.ShipStatus === undefined || !has(SHIP_STATUS, f.ShipStatus)) return 'Order/Ship/ShipStatus must be 0-4';
  const code = f.ShipCompanyCode;
  if (code) {
    const legacy = (LEGACY_SHIP_COMPANY_CODES as readonly string[]).includes(code);
    if (legacy && order.OrderTime >= LEGACY_SHIP_COMPANY_CODES_UNTIL) return `Order/Ship/ShipCompanyCode ${code}: a code of orders before 2018-10 only`;
    if (!legacy && !has(SHIP_COMPANY, code)) return `Order/Ship/ShipCompanyCode ${code}: not a carrier code`;
  }
  const carrier = code || order.ShipCompanyCode;
  for (const k of ['ShipInvoiceNumber1', 'ShipInvoiceNumber2'] as const) {
    const problem = f[k] ? invoiceProblem(carrier, f[k]) : undefined;
    if (problem) return `Order/Ship/${k}: ${problem}`;
  }
  const reason = f.ShipInvoiceNumberEmptyReason;
  if (reason) {
    if (!has(SHIP_INVOICE_EMPTY_REASON, reason)) return 'Order/Ship/ShipInvoiceNumberEmptyReason must be 101-105';
    if (f.ShipInvoiceNumber1 || f.ShipInvoiceNumber2) return 'Order/Ship/ShipInvoiceNumberEmptyReason excludes ShipInvoiceNumber1/2';
  }
  if (f.ShipDate && !realDate(f.ShipDate)) return 'Order/Ship/ShipDate: a real date, YYYYMMDD';
  if (f.ShipUrl?.includes('&') && !f.shipUrlInCdata) return 'Order/Ship/ShipUrl: a URL with & must be sent as CDATA';
  if (f.ShipNotes !== undefined && [...f.ShipNotes].length > 500) return 'Order/Ship/ShipNotes: at most 500 characters';
  return undefined;
}
