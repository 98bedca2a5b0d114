import {
  EXPIRY_MONTHS, MONTHLY_CAP_JPY, capRemaining, expiryAfter, expiryWarningAt, jstMonthKey, nextChargeAt, planRefusal,
  wouldExceedCap, type Plan, type PlanInterval,
} from '../../workflows/amazon-pay-recurring-plan';

const month = (value = 1): PlanInterval => ({ unit: 'Month', value });
const plan = (amountJpy: number, interval: PlanInterval, firstChargeAt = '2026-04-15T10:00:00+09:00'): Plan => ({ amountJpy, interval, firstChargeAt });

/** Follows the schedule n steps from the anchor, as the workflow does. */
function schedule(anchor: string, interval: PlanInterval, n: number): string[] {
  const out: string[] = [];
  let at = anchor;
  for (let i = 0; i < n; i++) out.push((at = nextChargeAt(at, interval, anchor)));
  return out;
}

test('the constants of spec §9 and §3.2', () => {
  expect(MONTHLY_CAP_JPY).toBe(100_000);
  expect(EXPIRY_MONTHS).toBe(13);
});

describe('nextChargeAt: months', () => {
  // 00:30 JST on the 31st is the 30th in UTC: a UTC-based step would land on Mar 30.
  test('a month-end anchor returns to the 31st after February: Jan 31 → Feb 28 → Mar 31 → Apr 30 → May 31', () => {
    expect(schedule('2027-01-31T00:30:00+09:00', month(), 4)).toEqual([
      '2027-02-27T15:30:00.000Z', '2027-03-30T15:30:00.000Z', '2027-04-29T15:30:00.000Z', '2027-05-30T15:30:00.000Z',
    ]);
  });
  test('in a leap year February ends on the 29th', () => {
    expect(schedule('2028-01-31T10:00:00+09:00', month(), 2)).toEqual(['2028-02-29T01:00:00.000Z', '2028-03-31T01:00:00.000Z']);
  });
  test('36 monthly steps from Jan 31 land on each month end, keeping the JST time', () => {
    // month lengths Feb 2026 … Jan 2029, written out rather than computed
    const lengths = [28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 31,
      29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 31];
    const got = schedule('2026-01-31T09:00:00+09:00', month(), 36);
    expect(got).toHaveLength(36);
    got.forEach((at, i) => {
      const y = 2026 + Math.floor((i + 1) / 12);
      const m = ((i + 1) % 12) + 1;
      expect(at).toBe(`${y}-${String(m).padStart(2, '0')}-${lengths[i]}T00:00:00.000Z`);
    });
    expect(got[35]).toBe('2029-01-31T00:00:00.000Z');
  });
  test('36 monthly steps at 23:30 JST on the 15th stay on the 15th in JST (14:30Z)', () => {
    const got = schedule('2026-01-15T23:30:00+09:00', month(), 36);
    expect(got.every((at) => /^\d{4}-\d{2}-15T14:30:00\.000Z$/.test(at))).toBe(true);
    expect(new Set(got.map(jstMonthKey)).size).toBe(36);
    expect(got[35]).toBe('2029-01-15T14:30:00.000Z');
  });
  test('multi-month steps keep the anchor day: every 2 months from Jan 31, every 3 from Nov 30', () => {
    expect(schedule('2026-01-31T10:00:00+09:00', month(2), 3)).toEqual([
      '2026-03-31T01:00:00.000Z', '2026-05-31T01:00:00.000Z', '2026-07-31T01:00:00.000Z',
    ]);
    expect(schedule('2026-11-30T10:00:00+09:00', month(3), 2)).toEqual(['2027-02-28T01:00:00.000Z', '2027-05-30T01:00:00.000Z']);
  });
  test('a late previous charge does not shift the schedule', () => {
    expect(nextChargeAt('2026-02-03T12:00:00+09:00', month(), '2026-01-31T10:00:00+09:00')).toBe('2026-02-28T01:00:00.000Z');
  });
  test('before the anchor, the next charge is the anchor', () => {
    expect(nextChargeAt('2026-01-01T00:00:00Z', month(), '2026-01-31T10:00:00+09:00')).toBe('2026-01-31T01:00:00.000Z');
  });
});

describe('nextChargeAt: days and weeks are exact multiples of 24 h', () => {
  const anchor = '2026-01-28T23:30:00+09:00'; // 14:30Z
  test('weekly', () => {
    expect(schedule(anchor, { unit: 'Week', value: 1 }, 3)).toEqual([
      '2026-02-04T14:30:00.000Z', '2026-02-11T14:30:00.000Z', '2026-02-18T14:30:00.000Z',
    ]);
  });
  test('every 2 weeks across a year end', () => {
    expect(nextChargeAt('2026-12-24T00:00:00.000Z', { unit: 'Week', value: 2 }, '2026-12-24T00:00:00.000Z')).toBe('2027-01-07T00:00:00.000Z');
  });
  test('every 10 days, 40 steps = 400 days', () => {
    const got = schedule(anchor, { unit: 'Day', value: 10 }, 40);
    expect(got[0]).toBe('2026-02-07T14:30:00.000Z');
    expect(Date.parse(got[39] ?? '') - Date.parse(anchor)).toBe(400 * 86_400_000);
  });
  test('a late previous charge does not shift the schedule', () => {
    expect(nextChargeAt('2026-01-31T00:00:00Z', { unit: 'Week', value: 1 }, anchor)).toBe('2026-02-04T14:30:00.000Z');
  });
  test('a bad interval throws', () => {
    expect(() => nextChargeAt(anchor, { unit: 'Day', value: 0 }, anchor)).toThrow(RangeError);
    expect(() => nextChargeAt(anchor, { unit: 'Week', value: 1.5 }, anchor)).toThrow(RangeError);
    expect(() => nextChargeAt(anchor, { unit: 'Year', value: 1 } as unknown as PlanInterval, anchor)).toThrow(/Day, Week or Month/);
  });
});

describe('jstMonthKey', () => {
  test('23:30 JST on Jan 31 (14:30Z) counts in January', () => {
    expect(jstMonthKey('2026-01-31T23:30:00+09:00')).toBe('2026-01');
    expect(jstMonthKey('2026-01-31T14:30:00.000Z')).toBe('2026-01');
  });
  test('00:00 JST on Feb 1 (15:00Z on Jan 31) counts in February; New Year in JST moves the year', () => {
    expect(jstMonthKey('2026-01-31T15:00:00Z')).toBe('2026-02');
    expect(jstMonthKey('2025-12-31T15:00:00Z')).toBe('2026-01');
    expect(jstMonthKey('2025-12-31T14:59:59.999Z')).toBe('2025-12');
  });
});

describe('the monthly cap', () => {
  test('capRemaining', () => {
    expect(capRemaining(0)).toBe(100_000);
    expect(capRemaining(30_000)).toBe(70_000);
    expect(capRemaining(100_000)).toBe(0);
    expect(capRemaining(120_000)).toBe(0);
  });
  test('wouldExceedCap: reaching the cap exactly is allowed, one yen more is not', () => {
    expect(wouldExceedCap(90_200, 9_800)).toBe(false);
    expect(wouldExceedCap(90_201, 9_800)).toBe(true);
    expect(wouldExceedCap(0, 100_001)).toBe(true);
  });
  test('amounts that are not whole yen throw instead of answering', () => {
    expect(() => capRemaining(Number.NaN)).toThrow(RangeError);
    expect(() => capRemaining(-1)).toThrow(RangeError);
    expect(() => wouldExceedCap(0, 0)).toThrow(RangeError);
    expect(() => wouldExceedCap(0, 9.5)).toThrow(RangeError);
  });
});

describe('planRefusal (seed #1139: 月額10万円, 13ヶ月)', () => {
  test.each([
    ['¥100,000 monthly', plan(100_000, month())],
    ['¥9,800 every 2 weeks (3 in a month: ¥29,400)', plan(9_800, { unit: 'Week', value: 2 })],
    ['13 months anchored on the 15th', plan(5_000, month(13))],
    ['¥3,225 daily (31 × = ¥99,975)', plan(3_225, { unit: 'Day', value: 1 })],
    ['every 393 days', plan(5_000, { unit: 'Day', value: 393 })],
    ['every 56 weeks (392 days)', plan(5_000, { unit: 'Week', value: 56 })],
  ])('accepts %s', (_name, p) => {
    expect(planRefusal(p)).toBeUndefined();
  });

  test.each([
    ['¥100,001 monthly', plan(100_001, month()), /100,000 monthly cap/],
    ['¥40,000 every 10 days (4 in a 31-day month)', plan(40_000, { unit: 'Day', value: 10 }), /4 × ¥40,000/],
    ['¥3,226 daily', plan(3_226, { unit: 'Day', value: 1 }), /31 × ¥3,226/],
    ['14 months', plan(5_000, month(14)), /14 months/],
    ['13 months anchored on the 31st (Feb 28 + 13 months is before Mar 31)', plan(5_000, month(13), '2026-01-31T10:00:00+09:00'), /day 31/],
    ['every 394 days', plan(5_000, { unit: 'Day', value: 394 }), /394 days/],
    ['every 57 weeks', plan(5_000, { unit: 'Week', value: 57 }), /399 days/],
    ['0 yen', plan(0, month()), /positive whole number of yen/],
    ['a non-integer amount', plan(980.5, month()), /positive whole number of yen/],
    ['more than ¥10,000,000 per charge', plan(10_000_001, month()), /per charge/],
    ['a zero interval', plan(5_000, month(0)), /positive whole number/],
    ['a fractional interval', plan(5_000, { unit: 'Day', value: 1.5 }), /positive whole number/],
    ['an unparsable first charge', plan(5_000, month(), 'next Tuesday'), /ISO 8601/],
  ])('refuses %s', (_name, p, reason) => {
    expect(planRefusal(p)).toMatch(reason);
  });
});

describe('planRefusal given when the parent is created', () => {
  const now = '2026-01-31T10:00:00+09:00';
  test('a first charge up to the 13-month expiry of the new permission is accepted, after it refused', () => {
    expect(planRefusal(plan(5_000, month(), '2027-02-28T10:00:00+09:00'), now)).toBeUndefined();
    expect(planRefusal(plan(5_000, month(), '2027-02-28T10:00:01+09:00'), now)).toMatch(/after 2027-02-28T01:00:00.000Z, when a Recurring ChargePermission not charged for 13 months expires/);
    expect(planRefusal(plan(5_000, month(), '9999-12-31T23:59:59Z'), now)).toMatch(/expires/);
  });
  test('without it, only the plan itself is checked', () => {
    expect(planRefusal(plan(5_000, month(), '9999-12-31T23:59:59Z'))).toBeUndefined();
  });
});

describe('expiry', () => {
  test('13 months after the last success, same JST day and time', () => {
    expect(expiryAfter('2026-05-15T23:30:00+09:00')).toBe('2027-06-15T14:30:00.000Z');
  });
  test('clamped to the month end, in JST: Jan 31 00:30 JST → Feb 28 00:30 JST', () => {
    expect(expiryAfter('2026-01-31T00:30:00+09:00')).toBe('2027-02-27T15:30:00.000Z');
    expect(expiryAfter('2027-01-31T10:00:00+09:00')).toBe('2028-02-29T01:00:00.000Z');
    expect(expiryAfter('2026-03-31T10:00:00+09:00')).toBe('2027-04-30T01:00:00.000Z');
  });
  test('a 13-month plan charges no later than the expiry its previous charge set', () => {
    const anchor = '2026-04-15T10:00:00+09:00';
    expect(nextChargeAt(anchor, month(13), anchor)).toBe(expiryAfter(anchor));
  });
  test('the warning is whole days of 24 h before the expiry', () => {
    expect(expiryWarningAt('2027-02-28T01:00:00.000Z', 30)).toBe('2027-01-29T01:00:00.000Z');
    expect(expiryWarningAt('2027-03-01T00:00:00+09:00', 1)).toBe('2027-02-27T15:00:00.000Z');
    expect(expiryWarningAt('2027-02-28T01:00:00.000Z', 0)).toBe('2027-02-28T01:00:00.000Z');
    expect(() => expiryWarningAt('2027-02-28T01:00:00.000Z', -1)).toThrow(RangeError);
    expect(() => expiryWarningAt('2027-02-28T01:00:00.000Z', 1.5)).toThrow(RangeError);
  });
});

describe('ISO input is checked', () => {
  test.each(['garbage', '', '2026-02-31T00:00:00Z', '2026-01-31T10:00:00', '2026-01-31', '2026-01-31T24:00:00Z'])(
    '%j throws a RangeError',
    (s) => {
      expect(() => jstMonthKey(s)).toThrow(RangeError);
      expect(() => expiryAfter(s)).toThrow(RangeError);
      expect(() => nextChargeAt(s, month(), '2026-01-31T10:00:00Z')).toThrow(RangeError);
      expect(() => nextChargeAt('2026-01-31T10:00:00Z', month(), s)).toThrow(/ISO 8601/);
    },
  );
  test('fractions and offsets are read exactly', () => {
    expect(expiryAfter('2026-01-15T12:00:00.123456-05:00')).toBe('2027-02-15T17:00:00.123Z');
  });
});
