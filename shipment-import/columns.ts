import type { ShipDateMode } from './types';

/**
 * The file's columns: each CSV header (as the seeds' 出荷実績取込 names it) and the JSON field that carries the same
 * value. A file names its columns by header, in any order; `required` columns must be there and filled on every row.
 */
export const COLUMNS = [
  { header: '受注番号', field: 'orderId', required: true },
  { header: '出荷日', field: 'shipDate', required: true },
  { header: '配送会社', field: 'carrier', required: true },
  { header: '配送伝票番号', field: 'trackingNumber', required: false },
  { header: 'モール', field: 'mall', required: false },
  { header: 'モール注文番号', field: 'mallOrderId', required: false },
  { header: '管理区分', field: 'managementClass', required: false },
  { header: '決済方法', field: 'paymentMethod', required: false },
  { header: '決済番号', field: 'paymentRef', required: false },
  { header: '配送日自動設定', field: 'shipDateMode', required: false },
  { header: 'オーソリ確定処理', field: 'capture', required: false },
  { header: '宅配伝票番号API連携', field: 'trackingNumberApi', required: false },
] as const;

export type ColumnField = (typeof COLUMNS)[number]['field'];
export const HEADERS: readonly string[] = COLUMNS.map((c) => c.header);
const byField = new Map<string, (typeof COLUMNS)[number]>(COLUMNS.map((c) => [c.field, c]));
const byHeader = new Map<string, (typeof COLUMNS)[number]>(COLUMNS.map((c) => [c.header, c]));

/** The header of a JSON field (problems in a CSV name its header). */
export const headerOf = (field: ColumnField): string => byField.get(field)!.header;
/** The field a CSV header names, or undefined (an unknown header). Surrounding spaces are ignored. */
export const fieldOfHeader = (header: string): ColumnField | undefined => byHeader.get(header.trim())?.field;

/** 配送日自動設定 (#684): the file's words (and the JSON codes) → the mode. */
const SHIP_DATE_MODE_WORDS: Record<string, ShipDateMode> = {
  設定する: 'external',
  external: 'external',
  配送日のみ: 'ship-date-only',
  '設定する(受注外部連携APIを実行しない)': 'ship-date-only',
  '設定する（受注外部連携APIを実行しない）': 'ship-date-only',
  'ship-date-only': 'ship-date-only',
};
const CAPTURE_WORDS: Record<string, boolean> = { 確定する: true, 確定しない: false, true: true, false: false };
const TRACKING_API_WORDS: Record<string, boolean> = { 連携する: true, 連携しない: false, true: true, false: false };

/** The value of a flag cell; undefined when the word is not one of the column's (a row problem). */
export const shipDateModeOf = (cell: string): ShipDateMode | undefined => SHIP_DATE_MODE_WORDS[cell.trim()];
export const captureOf = (cell: string): boolean | undefined => CAPTURE_WORDS[cell.trim()];
export const trackingNumberApiOf = (cell: string): boolean | undefined => TRACKING_API_WORDS[cell.trim()];
export const FLAG_WORDS = {
  shipDateMode: '設定する, 配送日のみ or 設定する(受注外部連携APIを実行しない)',
  capture: '確定する or 確定しない',
  trackingNumberApi: '連携する or 連携しない',
} as const;

/** モール: blank (renkei's records decide), or the marketplace the order was sold on. */
export type Mall = 'au-pay' | 'yahoo' | 'own';
const MALL_WORDS: Record<string, Mall> = {
  'au-pay': 'au-pay', 'au PAY マーケット': 'au-pay', auPAYマーケット: 'au-pay',
  yahoo: 'yahoo', 'Yahoo!ショッピング': 'yahoo', 'Yahoo！ショッピング': 'yahoo',
  自社: 'own', own: 'own',
};
export const mallOf = (cell: string): Mall | undefined => MALL_WORDS[cell.trim()];
export const MALL_WORD_LIST = 'au-pay (au PAY マーケット), yahoo (Yahoo!ショッピング) or 自社';
