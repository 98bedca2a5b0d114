import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { charsetOf, SJIS } from '../gmo-pg/wire';

/**
 * The shipment file's CSV: bytes → text (the declared charset, else detected: valid UTF-8 is UTF-8, anything else
 * Shift_JIS, as the shops' warehouse systems and Excel write it), text → records (RFC 4180), and back for results.csv
 * in the file's own encoding.
 */
export type CsvEncoding = 'utf-8' | 'shift_jis';

/** A file renkei cannot read: where (line, 1-based field) and why. */
export class CsvSyntaxError extends Error {
  constructor(readonly line: number, readonly field: number, readonly reason: string) {
    super(`line ${line}, field ${field}: ${reason}`);
  }
}

/** A charset the request declared that renkei does not read (415). */
export class UnsupportedCharsetError extends Error {}

/** The declared charset of a Content-Type (undefined: none declared); an unknown one is refused. */
export function declaredEncoding(contentType: string | undefined): CsvEncoding | undefined {
  if (!/;\s*charset\s*=/i.test(contentType ?? '')) return undefined;
  const c = charsetOf(contentType);
  if (!c) throw new UnsupportedCharsetError('unsupported charset: send the CSV as UTF-8 or Shift_JIS');
  return c === 'Shift_JIS' ? 'shift_jis' : 'utf-8';
}

/** The file's text (a UTF-8 BOM dropped) and its encoding. Bytes that are not text in it: a CsvSyntaxError naming the line. */
export function decodeCsv(bytes: Buffer, declared?: CsvEncoding): { text: string; encoding: CsvEncoding } {
  const encoding = declared ?? (isUtf8(bytes) ? 'utf-8' : 'shift_jis');
  const text = encoding === 'utf-8' ? new TextDecoder('utf-8').decode(bytes) : iconv.decode(bytes, SJIS);
  const bad = text.indexOf('\uFFFD');
  if (bad >= 0 && (encoding === 'shift_jis' || !isUtf8(bytes))) {
    const what = declared ? `not valid ${declared === 'utf-8' ? 'UTF-8' : 'Shift_JIS'} (the declared charset)` : 'neither UTF-8 nor Shift_JIS';
    throw new CsvSyntaxError(lineAt(text, bad), fieldAt(text, bad), `the file is ${what}`);
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) throw new CsvSyntaxError(lineAt(text, nul), fieldAt(text, nul), 'contains a NUL character, which is not text');
  return { text, encoding };
}

const lineAt = (text: string, at: number) => text.slice(0, at).split('\n').length;
const fieldAt = (text: string, at: number) => text.slice(text.lastIndexOf('\n', at - 1) + 1, at).split(',').length;

export interface CsvRecord {
  /** the physical line the record starts on (1: the header) */
  line: number;
  cells: string[];
}

/**
 * RFC 4180: fields separated by commas, records by CRLF (LF or CR alone accepted too); a field in double quotes may hold
 * commas, line breaks and doubled quotes. A quote inside an unquoted field, text after a closing quote, or a quote left
 * open are refused with their line and field. Empty records (blank lines, or only commas) are skipped.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let line = 1;
  let start = 1;
  let cells: string[] = [];
  let i = 0;
  const n = text.length;
  const endRecord = () => {
    if (cells.some((c) => c !== '')) records.push({ line: start, cells });
    cells = [];
  };
  for (;;) {
    if (cells.length === 0) start = line;
    if (text[i] === '"') {
      const openedOn = line;
      let value = '';
      let from = ++i;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new CsvSyntaxError(openedOn, cells.length + 1, 'a quoted field is never closed');
        if (text[q + 1] === '"') {
          value += text.slice(from, q + 1);
          i = from = q + 2;
          continue;
        }
        value += text.slice(from, q);
        i = q + 1;
        break;
      }
      for (const ch of value) if (ch === '\n') line += 1;
      if (value.includes('\r')) line += (value.match(/\r(?!\n)/g) ?? []).length;
      cells.push(value);
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') {
        throw new CsvSyntaxError(line, cells.length, 'text after a closing quote (double a quote inside a quoted field)');
      }
    } else {
      let j = i;
      while (j < n && text[j] !== ',' && text[j] !== '\r' && text[j] !== '\n') j += 1;
      const value = text.slice(i, j);
      if (value.includes('"')) throw new CsvSyntaxError(line, cells.length + 1, 'a double quote inside an unquoted field (quote the field and double the quote)');
      cells.push(value);
      i = j;
    }
    const sep = text[i];
    if (sep === ',') {
      i += 1; // the next field (at the end of the text: an empty one)
      continue;
    }
    if (sep === '\r' && text[i + 1] === '\n') i += 2;
    else i += 1;
    endRecord();
    line += 1;
    if (i >= n) break;
  }
  return records;
}

/** One CSV text from rows of cells: fields quoted where RFC 4180 needs it, CRLF line ends. */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const cell = (v: string | number) => {
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return rows.map((r) => r.map(cell).join(',') + '\r\n').join('');
}

/** JIS characters Unicode has twice: Windows-31J has only the second of each (〜 would become ?). */
const TO_WINDOWS_31J: Record<string, string> = { '\u301C': '\uFF5E', '\u2014': '\u2015', '\u2212': '\uFF0D', '\u2016': '\u2225', '\u00A2': '\uFFE0', '\u00A3': '\uFFE1', '\u00AC': '\uFFE2' };

/** The text in the encoding of the file it answers (Shift_JIS as Windows-31J, as it was read). */
export const encodeCsv = (text: string, encoding: CsvEncoding): Buffer => (encoding === 'shift_jis'
  ? iconv.encode(text.replace(/[\u301C\u2014\u2212\u2016\u00A2\u00A3\u00AC]/g, (c) => TO_WINDOWS_31J[c]!), SJIS)
  : Buffer.from(text, 'utf8'));

/** The Content-Type of a CSV in that encoding. */
export const csvContentType = (encoding: CsvEncoding): string => `text/csv; charset=${encoding === 'shift_jis' ? 'Shift_JIS' : 'UTF-8'}`;
