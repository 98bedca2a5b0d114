import { payMethodChangeDeadline, isWithinPayMethodChangeWindow } from '../../yahoo/pay-method-change';
import { formatYahooDateTime, parseYahooDateTime, formatCompactDateTime } from '../../yahoo/dates';
import { YahooApiError } from '../../yahoo/errors';
import { buildXml, cdata, parseXml } from '../../yahoo/xml';

const jst = (wall: string) => new Date(`${wall}+09:00`);
const deadline = (wall: string, days?: number) => formatYahooDateTime(payMethodChangeDeadline(jst(wall), days));

describe('the A.5 deadline: 23:59:59 JST on the Nth day after the day after the error', () => {
  test.each([
    ['2023-04-10T14:23:00', '2023-04-18T23:59:59+09:00'],
    ['2023-04-28T23:58:00', '2023-05-06T23:59:59+09:00'], // across a month end
    ['2024-02-25T00:05:00', '2024-03-04T23:59:59+09:00'], // leap year
    ['2026-12-28T10:00:00', '2027-01-05T23:59:59+09:00'], // across a year end
    ['2026-12-31T23:59:59', '2027-01-08T23:59:59+09:00'], // last second of the year: D is still 12-31
    ['2027-01-01T00:30:00', '2027-01-09T23:59:59+09:00'], // already 2027 in JST though 2026-12-31 in UTC
  ])('auth error at %s JST → %s', (at, expected) => {
    expect(deadline(at)).toBe(expected);
  });

  test('the day count is a setting; the time of day does not matter', () => {
    expect(deadline('2026-01-31T00:00:00', 0)).toBe('2026-02-01T23:59:59+09:00');
    expect(deadline('2026-01-31T23:59:00', 1)).toBe('2026-02-02T23:59:59+09:00');
    expect(payMethodChangeDeadline(jst('2026-11-23T00:00:00')).toISOString()).toBe('2026-12-01T14:59:59.000Z');
    expect(() => payMethodChangeDeadline(new Date(), -1)).toThrow(RangeError);
  });

  test('the deadline second itself is inside the window', () => {
    const d = payMethodChangeDeadline(jst('2023-04-10T14:23:00'));
    expect(isWithinPayMethodChangeWindow(d, jst('2023-04-18T23:59:59'))).toBe(true);
    expect(isWithinPayMethodChangeWindow(d, jst('2023-04-19T00:00:00'))).toBe(false);
  });
});

test('the date variants parse to the same instant; no offset means JST', () => {
  const at = jst('2023-04-18T23:59:00').getTime();
  for (const v of ['20230418235900', '2023-04-18T23:59:00', '2023-04-18T23:59:00+09:00', '2023-04-18 23:59:00', '2023-04-18T14:59:00Z', '2023-04-18T23:59']) {
    expect(parseYahooDateTime(v)?.getTime()).toBe(at);
  }
  expect(parseYahooDateTime('20230418')?.getTime()).toBe(jst('2023-04-18T00:00:00').getTime());
  expect(parseYahooDateTime('2023-02-30')).toBeNull();
  expect(formatCompactDateTime(jst('2023-04-18T23:59:00'))).toBe('20230418235900');
});

test('XML: free text in CDATA, codes stay strings, repeated elements are arrays even when single', () => {
  const xml = buildXml('Req', { ShipUrl: cdata('https://t.example/?a=1&b=2'), CancelReason: '0' });
  expect(xml).toContain('<ShipUrl><![CDATA[https://t.example/?a=1&b=2]]></ShipUrl>');
  const doc = parseXml('<Result><Status>OK</Status><Search><TotalCount>1</TotalCount><OrderInfo><Index>1</Index><PayStatus>0</PayStatus></OrderInfo></Search></Result>');
  expect(doc).toEqual({ Result: { Status: 'OK', Search: { TotalCount: '1', OrderInfo: [{ Index: '1', PayStatus: '0' }] } } });
  expect(() => parseXml('<html')).toThrow();
  expect(() => parseXml('Forbidden')).toThrow();
});

test('retryable: 5xx and the rate-limit 403; never px-04102, px-04303 or a 401', () => {
  expect(YahooApiError.fromHttp(503, undefined, 'x').retryable).toBe(true);
  expect(YahooApiError.fromHttp(403, 'Forbidden', 'Your Request was Forbidden').retryable).toBe(true);
  expect(YahooApiError.fromHttp(403, 'px-04303', 'x').retryable).toBe(false);
  expect(YahooApiError.fromHttp(401, 'px-04102', 'x').retryable).toBe(false);
  expect(YahooApiError.fromHttp(401, 'insufficient_scope', 'x').retryable).toBe(false);
  expect(YahooApiError.fromHttp(400, 'or-01001', 'Not Exists').retryable).toBe(false);
});
