import iconv from 'iconv-lite';
import { csvContentType, CsvSyntaxError, decodeCsv, declaredEncoding, encodeCsv, parseCsv, toCsv, UnsupportedCharsetError } from '../../shipment-import/csv';
import { rowsFromCsv, ShipmentFileError, TooManyRowsError, MAX_IMPORT_ROWS } from '../../shipment-import/file-rows';
import { shipDateOf } from '../../shipment-import/dates';

const sjis = (s: string) => iconv.encode(s, 'Windows-31J');
const HEADER = '受注番号,出荷日,配送会社,配送伝票番号\r\n';

describe('the file\'s encoding', () => {
  test('valid UTF-8 is UTF-8 (its BOM dropped); anything else is Shift_JIS; a declared charset wins', () => {
    const text = `${HEADER}A-1,2026/11/30,ヤマト運輸,1234-5678-9012\r\n`;
    expect(decodeCsv(Buffer.from(text))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeCsv(sjis(text))).toEqual({ text, encoding: 'shift_jis' });
    expect(decodeCsv(sjis(text), declaredEncoding('text/csv; charset=Shift_JIS'))).toEqual({ text, encoding: 'shift_jis' });
    expect(declaredEncoding('text/csv; charset="windows-31j"')).toBe('shift_jis');
    expect(declaredEncoding('text/csv;charset=utf-8')).toBe('utf-8');
    expect(declaredEncoding('text/csv')).toBeUndefined();
    expect(() => declaredEncoding('text/csv; charset=latin1')).toThrow(UnsupportedCharsetError);
  });

  test('Shift_JIS bytes declared UTF-8, or bytes that are neither, are refused with their line', () => {
    const bytes = Buffer.concat([Buffer.from(HEADER), sjis('A-1,2026/11/30,佐川急便,\r\n')]);
    expect(() => decodeCsv(bytes, 'utf-8')).toThrow(expect.objectContaining({ line: 2, reason: expect.stringMatching(/not valid UTF-8/) }));
    const neither = Buffer.concat([Buffer.from('受注番号\r\n'), Buffer.from([0x41, 0x0a, 0x82, 0x0a])]);
    expect(() => decodeCsv(neither)).toThrow(CsvSyntaxError);
    expect(() => decodeCsv(Buffer.from('a,b\r\nc\u0000,d'))).toThrow(expect.objectContaining({ line: 2, field: 1, reason: expect.stringMatching(/NUL/) }));
  });

  test('results go back in the file\'s encoding: Shift_JIS round trip (～ and 髙 included)', () => {
    const text = toCsv([['行', '受注番号', '結果', '詳細'], [2, 'A-1', 'applied', '出荷日設定; 髙島屋～']]);
    const bytes = encodeCsv(text, 'shift_jis');
    expect(bytes.includes(Buffer.from('出荷日'))).toBe(false); // not UTF-8
    expect(decodeCsv(bytes)).toEqual({ text, encoding: 'shift_jis' });
    expect(csvContentType('shift_jis')).toBe('text/csv; charset=Shift_JIS');
    expect(encodeCsv(text, 'utf-8').toString('utf8')).toBe(text);
    // the WAVE DASH and its kin, which Windows-31J has only as their full-width twins, are not lost as ?
    expect(iconv.decode(encodeCsv('11〜13文字 — −1', 'shift_jis'), 'Windows-31J')).toBe('11～13文字 ― －1');
  });
});

describe('RFC 4180', () => {
  test('quoted fields hold commas, doubled quotes and line breaks; a record keeps the line it starts on', () => {
    const records = parseCsv('a,b,c\r\n"x,1","say ""hi""","two\r\nlines"\r\n\r\nlast,,\n');
    expect(records).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['x,1', 'say "hi"', 'two\r\nlines'] },
      { line: 5, cells: ['last', '', ''] },
    ]);
    expect(parseCsv('a\nb')).toEqual([{ line: 1, cells: ['a'] }, { line: 2, cells: ['b'] }]);
    expect(parseCsv(',,\r\n,,\r\n')).toEqual([]); // rows of empty cells (Excel's trailing rows) are no rows
  });

  test('a quote left open, text after a closing quote, or a quote inside an unquoted field: the line and field', () => {
    expect(() => parseCsv('a,b\r\nx,"open\r\nstill')).toThrow(expect.objectContaining({ line: 2, field: 2, reason: expect.stringMatching(/never closed/) }));
    expect(() => parseCsv('a,b\r\n"x"y,z')).toThrow(expect.objectContaining({ line: 2, field: 1, reason: expect.stringMatching(/after a closing quote/) }));
    expect(() => parseCsv('a,b\r\nx,y"z')).toThrow(expect.objectContaining({ line: 2, field: 2, reason: expect.stringMatching(/inside an unquoted field/) }));
  });

  test('what toCsv writes, parseCsv reads back', () => {
    const rows = [['行', '詳細'], ['2', 'a, "b"\nc'], ['3', '']];
    expect(parseCsv(toCsv(rows)).map((r) => r.cells)).toEqual([rows[0], rows[1], ['3', '']]);
  });
});

describe('the file\'s rows', () => {
  test('columns by header in any order; missing trailing cells are blank', () => {
    const { rows, encoding } = rowsFromCsv(sjis('配送会社,受注番号,出荷日\r\nyamato,A-1,2026-11-30\r\nsagawa,A-2\r\n'), 'text/csv');
    expect(encoding).toBe('shift_jis');
    expect(rows).toEqual([
      { line: 2, values: { carrier: 'yamato', orderId: 'A-1', shipDate: '2026-11-30' } },
      { line: 3, values: { carrier: 'sagawa', orderId: 'A-2', shipDate: '' } },
    ]);
  });

  test('unknown or missing headers, an empty file, no data rows, a syntax error: 400 problems with line and column', () => {
    const problems = (bytes: Buffer) => {
      try {
        rowsFromCsv(bytes, 'text/csv');
      } catch (err) {
        if (err instanceof ShipmentFileError) return err.problems;
        throw err;
      }
      throw new Error('accepted');
    };
    expect(problems(Buffer.from('受注番号,出荷日,配送業者\r\nA-1,2026-11-30,yamato\r\n'))).toEqual([
      { line: 1, column: '配送業者', reason: expect.stringMatching(/^unknown header "配送業者"; the columns are 受注番号, 出荷日, 配送会社/) },
      { line: 1, column: '配送会社', reason: 'a required column is missing' },
    ]);
    expect(problems(Buffer.from(''))).toEqual([{ line: 1, column: '(file)', reason: expect.stringMatching(/empty/) }]);
    expect(problems(Buffer.from(HEADER))).toEqual([{ line: 2, column: '(file)', reason: 'no data rows after the header' }]);
    expect(problems(Buffer.from(`${HEADER}A-1,2026-11-30,"yamato,1\r\n`))).toEqual([{ line: 2, column: '配送会社', reason: expect.stringMatching(/never closed/) }]);
    const extra = rowsFromCsv(Buffer.from(`${HEADER}A-1,2026-11-30,yamato,1,surplus\r\n`), undefined).rows[0]!;
    expect(extra.problems).toEqual([{ line: 2, column: '5列目', reason: "a cell beyond the header's 4 columns" }]);
  });

  test(`more than ${MAX_IMPORT_ROWS} rows: TooManyRowsError with the count`, () => {
    const body = `${HEADER}${'A,2026-11-30,yamato,\r\n'.repeat(MAX_IMPORT_ROWS + 1)}`;
    expect(() => rowsFromCsv(Buffer.from(body), 'text/csv')).toThrow(expect.objectContaining({ rows: MAX_IMPORT_ROWS + 1 }));
    expect(() => rowsFromCsv(Buffer.from(body), 'text/csv')).toThrow(TooManyRowsError);
  });
});

test('出荷日: the four spellings, only real dates', () => {
  expect(['2026-11-30', '2026/11/30', '2026/1/5', '20261130'].map(shipDateOf)).toEqual(['2026-11-30', '2026-11-30', '2026-01-05', '2026-11-30']);
  expect(['2026-02-30', '2026/13/1', '2026-1-5', '261130', '2026.11.30', '', '2025/2/29'].map(shipDateOf)).toEqual(Array(7).fill(undefined));
  expect(shipDateOf('2024/2/29')).toBe('2024-02-29');
});
