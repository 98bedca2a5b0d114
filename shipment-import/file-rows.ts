import { COLUMNS, fieldOfHeader, HEADERS, headerOf, type ColumnField } from './columns';
import { CsvSyntaxError, decodeCsv, declaredEncoding, parseCsv, type CsvEncoding } from './csv';
import type { RowProblem, ShipDateMode } from './types';

/** At most this many rows in one import (more: 413 with the count). */
export const MAX_IMPORT_ROWS = 100_000;

/** One row as the file gives it, before validation: its cells by field (JSON: the flags already typed). */
export interface RawRow {
  line: number;
  values: Partial<Record<ColumnField, string | boolean | null>>;
  /** what is wrong with the row's shape itself (a cell beyond the header) */
  problems?: RowProblem[];
}

/** A file that cannot be read as a whole (400): each problem with its line, column and reason. */
export class ShipmentFileError extends Error {
  constructor(readonly problems: RowProblem[]) {
    super(problems.map((p) => `line ${p.line}, ${p.column}: ${p.reason}`).join('; '));
  }
}

/** More rows than one import takes (413). */
export class TooManyRowsError extends Error {
  constructor(readonly rows: number) {
    super(`the file has ${rows} rows; one import takes at most ${MAX_IMPORT_ROWS}`);
  }
}

/**
 * A CSV file's rows: decoded (declared or detected charset), parsed, its header checked (every header known, the
 * required ones there, none twice), at least one data row and at most MAX_IMPORT_ROWS.
 */
export function rowsFromCsv(bytes: Buffer, contentType: string | undefined): { encoding: CsvEncoding; rows: RawRow[] } {
  const declared = declaredEncoding(contentType);
  let headers: string[] = [];
  try {
    const { text, encoding } = decodeCsv(bytes, declared);
    headers = headerGuess(text);
    const records = parseCsv(text);
    const [head, ...data] = records;
    if (!head) throw new ShipmentFileError([{ line: 1, column: '(file)', reason: 'the file is empty: a header row and at least one data row' }]);
    headers = head.cells.map((h) => h.trim());
    checkHeaders(head.line, headers);
    if (data.length === 0) throw new ShipmentFileError([{ line: head.line + 1, column: '(file)', reason: 'no data rows after the header' }]);
    if (data.length > MAX_IMPORT_ROWS) throw new TooManyRowsError(data.length);
    const fields = headers.map((h) => fieldOfHeader(h)!);
    const rows = data.map((r): RawRow => {
      const values: RawRow['values'] = {};
      fields.forEach((f, i) => (values[f] = r.cells[i] ?? ''));
      const extra = r.cells.findIndex((c, i) => i >= fields.length && c.trim() !== '');
      return extra < 0 ? { line: r.line, values } : {
        line: r.line, values,
        problems: [{ line: r.line, column: `${extra + 1}列目`, reason: `a cell beyond the header's ${fields.length} columns` }],
      };
    });
    return { encoding, rows };
  } catch (err) {
    if (err instanceof CsvSyntaxError) {
      throw new ShipmentFileError([{ line: err.line, column: headers[err.field - 1] ?? `${err.field}列目`, reason: err.reason }]);
    }
    throw err;
  }
}

/** The first line's cells, to name the column of a syntax error further down (none when the first line is not CSV). */
function headerGuess(text: string): string[] {
  try {
    return parseCsv(text.slice(0, text.search(/\r|\n|$/)))[0]?.cells.map((h) => h.trim()) ?? [];
  } catch {
    return [];
  }
}

function checkHeaders(line: number, headers: string[]): void {
  const problems: RowProblem[] = [];
  const seen = new Set<string>();
  headers.forEach((h, i) => {
    if (!fieldOfHeader(h)) problems.push({ line, column: h || `${i + 1}列目`, reason: `unknown header ${JSON.stringify(h)}; the columns are ${HEADERS.join(', ')}` });
    else if (seen.has(h)) problems.push({ line, column: h, reason: 'the header appears twice' });
    seen.add(h);
  });
  for (const c of COLUMNS) if (c.required && !seen.has(c.header)) problems.push({ line, column: c.header, reason: 'a required column is missing' });
  if (problems.length) throw new ShipmentFileError(problems);
}

/** A JSON row as the API's schema takes it (api/shipment-imports/schemas.ts). */
export interface JsonShipmentRow {
  orderId: string;
  shipDate: string;
  carrier: string;
  trackingNumber?: string | null;
  mall?: string;
  mallOrderId?: string;
  managementClass?: string;
  paymentMethod?: string;
  paymentRef?: string;
  shipDateMode?: ShipDateMode;
  capture?: boolean;
  trackingNumberApi?: boolean;
}

/** JSON rows: line = index + 1; problems name the JSON field. */
export function rowsFromJson(rows: readonly JsonShipmentRow[]): RawRow[] {
  return rows.map((r, i) => ({ line: i + 1, values: { ...r } }));
}

/** How a source names a column in its problems: the CSV header, or the JSON field. */
export const columnNames = { csv: headerOf, json: (f: ColumnField) => f } as const;
