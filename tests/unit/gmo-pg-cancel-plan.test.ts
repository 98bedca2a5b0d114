import { cancelJobCdFor, planCancel } from '../../gmo-pg/cancel-plan';
import { formatGmoDate, parseGmoDate } from '../../gmo-pg/dates';
import { gmoOrderId, parseGmoOrderId } from '../../gmo-pg/order-id';

/** The cancel saga's decision (docs/providers/gmo-pg.md §3, §5.5), across JST day and month boundaries. */
const at = (iso: string) => new Date(iso);
const trade = (status: Parameters<typeof planCancel>[0]['status'], processDate: string) => ({ status, processDate });

test('GMO dates are yyyyMMddHHmmss in JST', () => {
  expect(formatGmoDate(at('2026-11-30T15:00:00Z'))).toBe('20261201000000');
  expect(parseGmoDate('20261201000000')?.toISOString()).toBe('2026-11-30T15:00:00.000Z');
  expect(parseGmoDate('20260230120000')).toBeNull();
  expect(parseGmoDate('')).toBeNull();
});

test('already canceled: nothing to do; never charged: nothing to do', () => {
  for (const s of ['VOID', 'RETURN', 'RETURNX'] as const) {
    expect(planCancel(trade(s, '20261101120000'), at('2026-11-01T05:00:00Z'))).toEqual({ action: 'none', reason: 'already-canceled', status: s });
  }
  for (const s of ['UNPROCESSED', 'AUTHENTICATED', 'CHECK'] as const) {
    expect(planCancel(trade(s, '20261101120000'), at('2026-11-01T05:00:00Z'))).toMatchObject({ action: 'none', reason: 'not-charged' });
  }
});

test('the same JST day is VOID, even when UTC has already turned or not yet turned', () => {
  // processed 00:30 JST on Nov 2 (= Nov 1 15:30 UTC); now 23:59 JST the same day
  expect(planCancel(trade('CAPTURE', '20261102003000'), at('2026-11-02T14:59:00Z'))).toEqual({ action: 'alter', jobCd: 'VOID', reason: 'same-day' });
  // 00:00 JST the next day: no longer VOID
  expect(planCancel(trade('CAPTURE', '20261102003000'), at('2026-11-02T15:00:00Z'))).toEqual({ action: 'alter', jobCd: 'RETURN', reason: 'same-month' });
  // processed 23:59 JST, now 00:01 JST the next day, still the same UTC date: RETURN
  expect(planCancel(trade('SALES', '20261105235900'), at('2026-11-05T15:01:00Z'))).toMatchObject({ jobCd: 'RETURN' });
});

test('another JST month is RETURNX, but RETURN for an AUTH; past 180 days: refuse', () => {
  // processed 23:00 JST Nov 30; now 00:00 JST Dec 1 (still Nov 30 in UTC)
  expect(planCancel(trade('SALES', '20261130230000'), at('2026-11-30T15:00:00Z'))).toEqual({ action: 'alter', jobCd: 'RETURNX', reason: 'within-limit' });
  expect(planCancel(trade('CAPTURE', '20261130230000'), at('2026-11-30T15:00:00Z'))).toMatchObject({ jobCd: 'RETURNX' });
  expect(planCancel(trade('AUTH', '20261130230000'), at('2026-11-30T15:00:00Z'))).toEqual({ action: 'alter', jobCd: 'RETURN', reason: 'auth-within-limit' });
  expect(planCancel(trade('AUTH', '20261130230000'), at('2026-11-30T14:00:00Z'))).toMatchObject({ jobCd: 'VOID' });
  // 180 JST days later is still in; 181 is out
  const processed = '20260101100000';
  expect(planCancel(trade('SALES', processed), at('2026-06-30T00:00:00Z'))).toMatchObject({ jobCd: 'RETURNX' }); // Jun 30 JST = day 180
  expect(planCancel(trade('SALES', processed), at('2026-06-30T15:00:00Z'))).toEqual({ action: 'refuse', reason: 'over-limit', status: 'SALES' }); // Jul 1 JST
  expect(planCancel(trade('SALES', 'garbage'), at('2026-06-30T00:00:00Z'))).toMatchObject({ action: 'refuse', reason: 'no-process-date' });
});

test('the JobCd rule alone: year boundary, and a clock behind the process date', () => {
  expect(cancelJobCdFor('SALES', at('2026-12-31T14:00:00Z'), at('2026-12-31T15:00:00Z'))?.jobCd).toBe('RETURNX'); // Dec 31 23:00 → Jan 1 00:00 JST
  expect(cancelJobCdFor('SALES', at('2026-12-31T14:00:00Z'), at('2026-12-31T13:00:00Z'))?.jobCd).toBe('VOID');
  expect(cancelJobCdFor('SAUTH', at('2026-10-01T00:00:00Z'), at('2026-12-01T00:00:00Z'))?.jobCd).toBe('RETURN');
});

test('OrderIDs per attempt: <orderNo>-<attempt>, at most 27 chars of [A-Za-z0-9-]', () => {
  expect(gmoOrderId('20261123-0001', 1)).toBe('20261123-0001-1');
  expect(parseGmoOrderId('20261123-0001-12')).toEqual({ orderNo: '20261123-0001', attempt: 12 });
  expect(parseGmoOrderId('plain')).toBeUndefined();
  expect(gmoOrderId('x'.repeat(25), 1)).toHaveLength(27);
  expect(() => gmoOrderId('x'.repeat(25), 10)).toThrow(RangeError);
  expect(() => gmoOrderId('order_1', 1)).toThrow(RangeError);
  expect(() => gmoOrderId('o', 0)).toThrow(RangeError);
});
