/**
 * The shipment file the shipment import benches send: its header, the cheap rows (own-store, ship date set and sent
 * out as order data OUT; ship-date-only, the date recorded and nothing sent) and the file as the OMS exports it
 * (Shift_JIS, CRLF). Used by bench/shipment-import.ts (one large import) and bench/runners/shipment-import.ts (many
 * small ones).
 */
import iconv from 'iconv-lite';

export const SHIPMENT_FILE_HEADER = '受注番号,出荷日,配送会社,配送伝票番号,モール,モール注文番号,決済方法,配送日自動設定,オーソリ確定処理';

/** A row number as the files' order ids and tracking numbers carry it. */
export const pad6 = (i: number): string => String(i).padStart(6, '0');

/**
 * Row i of the cheap rows, alternating: even an own-store row (配送日自動設定 empty: the shop's default, external),
 * odd a ship-date-only one. `prefix` keeps the order ids of different imports apart.
 */
export function cheapRow(i: number, prefix = ''): string {
  return i % 2
    ? `${prefix}SD-${pad6(i)},2026/11/21,福山通運,7${pad6(i)},自社,,,配送日のみ,`
    : `${prefix}OWN-${pad6(i)},2026/11/21,seino,7${pad6(i)},自社,,,,`;
}

/** Whether cheapRow(i) is an own-store row (one order data OUT row when applied). */
export const isOwnStoreRow = (i: number): boolean => i % 2 === 0;

/** The file of these lines (the header first), in Shift_JIS with CRLF line ends. */
export function shiftJisFile(lines: readonly string[]): Buffer {
  return iconv.encode(`${[SHIPMENT_FILE_HEADER, ...lines].join('\r\n')}\r\n`, 'Shift_JIS');
}
