/**
 * 出荷実績取込 (seed 000 #1110 #684 #1037 #1075): one file of shipment results, validated whole, then applied row by
 * row by the shipment-import workflow. These are the shapes every part shares: the parser and validator
 * (shipment-import/validate.ts), the stored import (db/shipment-imports.ts), the row's effects
 * (shipment-import/apply-row.ts) and the workflow (workflows/shipment-import.ts).
 */
import type { CarrierCode } from './carriers';

/** 配送日自動設定 (#684): external = 設定する (the row's changes go out: order data OUT, au PAY, Yahoo); ship-date-only =
 * 設定する(受注外部連携APIを実行しない): the ship date is recorded and nothing is sent out. */
export const SHIP_DATE_MODES = ['external', 'ship-date-only'] as const;
export type ShipDateMode = (typeof SHIP_DATE_MODES)[number];

/** The per-row flags (#1110: each with a shop default, overridable for a file, then per row). */
export interface ShipmentFlags {
  shipDateMode: ShipDateMode;
  /** オーソリ確定処理 / クレジット決済確定処理: capture the authorized payment (Amazon Pay capture, GMO-PG SALES) */
  capture: boolean;
  /** 宅配伝票番号API連携 (#1075): the tracking number goes to the payment provider, so every row needs one */
  trackingNumberApi: boolean;
}

/** Where the order was sold: the marketplace that is told of the shipment, or the shop's own store. */
export type ShipmentChannel =
  | { kind: 'au-pay'; auPayOrderId: string; managementClass: string }
  | { kind: 'yahoo'; yahooOrderId: string }
  | { kind: 'own' };

/** The order's payment as the capture needs it: the provider (payments/registry.ts) and its id of the payment. */
export interface ShipmentPayment {
  /** the shop's 決済方法 code, when the file or renkei's records name one */
  method: string | null;
  /** 'gmo-pg' | 'amazon-pay' | 'manual' | null (none known: nothing to capture) */
  provider: string | null;
  /** the provider's id of the payment (GMO-PG OrderID, Amazon Pay chargeId); null when none is known yet */
  ref: string | null;
}

/** One valid row, resolved: what the row step applies. Stored as the row's jsonb; never personal data. */
export interface ShipmentRow {
  /** the line in the file (the header is line 1), or the JSON row's index + 1 */
  line: number;
  orderId: string;
  /** 出荷日, YYYY-MM-DD */
  shipDate: string;
  carrier: CarrierCode;
  /** 配送伝票番号; null when the row has none */
  trackingNumber: string | null;
  channel: ShipmentChannel;
  payment: ShipmentPayment;
  /** resolved: the row's own, else the file's, else the shop's default */
  flags: ShipmentFlags;
}

/** A bad row or field, as the whole-file validation reports it. `column`: the CSV header name (or the JSON field). */
export interface RowProblem {
  line: number;
  column: string;
  reason: string;
}

/** A row's outcome: invalid (refused by validation, when valid rows went ahead), applied (something changed),
 * unchanged (an earlier import already applied the same shipment: nothing sent again), refused (a check refused it
 * before anything was sent), failed (an effect failed after its retries), canceled (the import was canceled first). */
export const ROW_OUTCOMES = ['applied', 'unchanged', 'refused', 'failed', 'invalid', 'canceled'] as const;
export type RowOutcome = (typeof ROW_OUTCOMES)[number];

export interface RowResult {
  outcome: RowOutcome;
  /** what the row did or why not, in the operator's words (Japanese where the seeds name it) */
  detail: string;
}

/** What the shop chooses when some rows are bad: refuse the whole file (nothing applied), or let valid rows go ahead. */
export const ON_ERROR = ['reject', 'skip'] as const;
export type OnError = (typeof ON_ERROR)[number];

export const IMPORT_STATUSES = ['running', 'completed', 'canceled'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** The file's encoding, kept for results.csv (JSON imports answer in UTF-8). */
export type ImportEncoding = 'utf-8' | 'shift_jis' | 'json';
