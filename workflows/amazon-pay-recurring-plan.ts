/**
 * Pure rules for an Amazon Pay v2 Recurring ChargePermission behind a 定期親受注 (spec amazon-pay-v2 §3.2 and §9,
 * seed 000 #1139): the charge schedule of its 定期子受注, the ¥100,000 monthly cap and the 13-month expiry.
 * Workflow-safe: no imports, no clock. Every instant is an ISO string in, a `toISOString()` string out.
 *
 * Business time is Asia/Tokyo, a fixed UTC+9 with no DST, so a JST day is always exactly 24 h. Months count in JST:
 * the cap resets on the 1st at 00:00 JST (spec §9, ASSUMED JST) and a month step keeps the JST day and time.
 */

/** Sum of the Charges created from one Recurring CP within one calendar month (spec §9). */
export const MONTHLY_CAP_JPY = 100_000;
/** A Recurring CP closes 13 calendar months after its last successful charge (spec §3.2, the emulator's rule). */
export const EXPIRY_MONTHS = 13;
/** Amazon Pay JP's ceiling for one Charge (spec §9). */
const MAX_CHARGE_JPY = 10_000_000;
/**
 * The shortest span of 13 calendar months anywhere in the calendar: Jan 31 → Feb 28 of the next year (clamped) is
 * 365 + 28 days. A day or week interval up to this fits under every expiry of a years-long plan, wherever its
 * charges fall; a bound taken from firstChargeAt alone (up to 397 days) would fail at a later, shorter span.
 */
const MAX_INTERVAL_DAYS = 393;
/** The longest calendar month; a day/week interval is checked against it for the cap. */
const LONGEST_MONTH_DAYS = 31;

const DAY_MS = 86_400_000;
const JST_OFFSET_MS = 9 * 3_600_000;

export type PlanInterval = { unit: 'Day' | 'Week' | 'Month'; value: number };
export interface Plan {
  amountJpy: number;
  interval: PlanInterval;
  /** the first charge, an ISO instant; it anchors every later charge */
  firstChargeAt: string;
}

/**
 * Why Amazon Pay V2 cannot back this plan (seed #1139: set 利用制限決済 on such 定期商品), or undefined. Given `now`
 * (an ISO instant: the parent is created then), a first charge after the 13-month expiry that a new Recurring
 * ChargePermission starts with is refused too: the permission would expire before it is ever charged.
 */
export function planRefusal(plan: Plan, now?: string): string | undefined {
  const { amountJpy, interval } = plan;
  if (!Number.isSafeInteger(amountJpy) || amountJpy <= 0) return `amount must be a positive whole number of yen, got ${amountJpy}`;
  if (amountJpy > MAX_CHARGE_JPY) return `amount ${yen(amountJpy)} is above Amazon Pay's ${yen(MAX_CHARGE_JPY)} per charge`;
  const intervalProblem = intervalRefusal(interval);
  if (intervalProblem) return intervalProblem;
  let first: number;
  try {
    first = parseInstant(plan.firstChargeAt);
  } catch (e) {
    return (e as Error).message;
  }
  if (now !== undefined) {
    const expiry = addJstMonthsMs(parseInstant(now), EXPIRY_MONTHS);
    if (first > expiry) {
      return `the first charge ${iso(first)} is after ${iso(expiry)}, when a Recurring ChargePermission not charged for ${EXPIRY_MONTHS} months expires`;
    }
  }

  // Span: the next charge must land no later than the expiry the previous charge set (13 months after it).
  if (interval.unit === 'Month') {
    if (interval.value > EXPIRY_MONTHS) {
      return `配送間隔 ${interval.value} months is longer than the ${EXPIRY_MONTHS}-month life of an Amazon Pay V2 定期親受注`;
    }
    // After a clamped charge (Feb 28), the expiry keeps day 28 while the next charge returns to the anchor day.
    const anchorDay = jstFields(first).day;
    if (interval.value === EXPIRY_MONTHS && anchorDay > 28) {
      return `a ${EXPIRY_MONTHS}-month interval anchored on day ${anchorDay} would charge after the expiry a month-end charge sets; anchor on day 1–28`;
    }
  } else if (intervalDays(interval) > MAX_INTERVAL_DAYS) {
    return `配送間隔 ${intervalDays(interval)} days is longer than ${MAX_INTERVAL_DAYS} days, the shortest ${EXPIRY_MONTHS} months, so the 定期親受注 could expire between charges`;
  }

  // Cap: the most charges the interval can place in one calendar month. A month step puts each charge in its own
  // month; every d days puts at most ceil(31 / d) in a 31-day month (every 10 days: the 1st, 11th, 21st and 31st).
  const perMonth = interval.unit === 'Month' ? 1 : Math.ceil(LONGEST_MONTH_DAYS / intervalDays(interval));
  if (amountJpy * perMonth > MONTHLY_CAP_JPY) {
    return `月額 up to ${yen(amountJpy * perMonth)} (${perMonth} × ${yen(amountJpy)} in one calendar month) is above Amazon Pay V2's ${yen(MONTHLY_CAP_JPY)} monthly cap per 定期親受注`;
  }
  return undefined;
}

/**
 * The first charge of the schedule strictly after `previousIso`. The schedule is anchorIso + k intervals (k ≥ 0), so
 * a charge that ran late does not shift later ones. Months are JST calendar months on the anchor's JST day and time,
 * clamped to the month's end (Jan 31 → Feb 28 → Mar 31); days and weeks are exact multiples of 24 h.
 * Pass the previous *scheduled* time: a late run moved into the next period would get that period's slot again.
 */
export function nextChargeAt(previousIso: string, interval: PlanInterval, anchorIso: string): string {
  const previous = parseInstant(previousIso);
  const anchor = parseInstant(anchorIso);
  const problem = intervalRefusal(interval);
  if (problem) throw new RangeError(problem);
  if (previous < anchor) return iso(anchor);
  if (interval.unit !== 'Month') {
    const step = intervalDays(interval) * DAY_MS;
    return iso(anchor + (Math.floor((previous - anchor) / step) + 1) * step);
  }
  const a = jstFields(anchor);
  const p = jstFields(previous);
  const elapsedMonths = (p.year - a.year) * 12 + (p.month - a.month);
  // Start at or before previous's month; at most two steps reach the slot after it.
  for (let k = Math.floor(elapsedMonths / interval.value) * interval.value; ; k += interval.value) {
    const slot = addJstMonthsMs(anchor, k);
    if (slot > previous) return iso(slot);
  }
}

/** 'YYYY-MM' of the JST calendar month the instant falls in: the month whose cap a charge uses. */
export function jstMonthKey(isoString: string): string {
  const { year, month } = jstFields(parseInstant(isoString));
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** What is left of this month's cap (the CP's limits.amountBalance). */
export function capRemaining(chargedThisMonthJpy: number): number {
  assertYen(chargedThisMonthJpy, 'chargedThisMonthJpy', true);
  return Math.max(0, MONTHLY_CAP_JPY - chargedThisMonthJpy);
}

/** True when this charge would be refused with 400 PeriodicAmountExceeded: wait for the next month. */
export function wouldExceedCap(chargedThisMonthJpy: number, amountJpy: number): boolean {
  assertYen(chargedThisMonthJpy, 'chargedThisMonthJpy', true);
  assertYen(amountJpy, 'amountJpy', false);
  return chargedThisMonthJpy + amountJpy > MONTHLY_CAP_JPY;
}

/** When the CP closes (Expired): 13 JST calendar months after the last successful charge, same day and time, clamped. */
export function expiryAfter(lastSuccessIso: string): string {
  return iso(addJstMonthsMs(parseInstant(lastSuccessIso), EXPIRY_MONTHS));
}

/** When to warn the shop that the 定期親受注 is about to expire: whole days (24 h each) before the expiry. */
export function expiryWarningAt(expiryIso: string, warnBeforeDays: number): string {
  const expiry = parseInstant(expiryIso);
  if (!Number.isSafeInteger(warnBeforeDays) || warnBeforeDays < 0) {
    throw new RangeError(`warnBeforeDays must be a whole number of days ≥ 0, got ${warnBeforeDays}`);
  }
  return iso(expiry - warnBeforeDays * DAY_MS);
}

// ---- internals ----

function intervalRefusal(interval: PlanInterval): string | undefined {
  const unit: string = interval?.unit;
  if (unit !== 'Day' && unit !== 'Week' && unit !== 'Month') return `interval unit must be Day, Week or Month, got ${unit}`;
  if (!Number.isSafeInteger(interval.value) || interval.value <= 0) {
    return `interval value must be a positive whole number, got ${interval.value}`;
  }
  return undefined;
}

const intervalDays = (i: PlanInterval): number => (i.unit === 'Week' ? i.value * 7 : i.value);

function assertYen(n: number, name: string, zeroAllowed: boolean): void {
  if (!Number.isSafeInteger(n) || n < 0 || (!zeroAllowed && n === 0)) {
    throw new RangeError(`${name} must be a ${zeroAllowed ? 'non-negative' : 'positive'} whole number of yen, got ${n}`);
  }
}

const yen = (n: number): string => `¥${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;

// An explicit Z or ±hh:mm is required: without one, Date.parse reads local time, which differs between machines.
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * Epoch ms of a strict ISO 8601 instant. Date.parse alone is not enough: it rolls 2026-02-31 over to March 3.
 * Throws a RangeError naming the string.
 */
function parseInstant(s: string): number {
  const m = typeof s === 'string' ? ISO_INSTANT.exec(s) : null;
  const bad = (why: string) => new RangeError(`not an ISO 8601 instant with a zone (e.g. 2026-01-31T23:30:00+09:00): ${JSON.stringify(s)} (${why})`);
  if (!m) throw bad('unparsable');
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = Number(m[6] ?? 0);
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  if (year < 1970) throw bad('year before 1970');
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) throw bad('no such date');
  if (hour > 23 || minute > 59 || second > 59) throw bad('no such time');
  let offsetMs = 0;
  if (m[8] !== 'Z') {
    const [oh, om] = [Number(m[10]), Number(m[11])];
    if (oh > 23 || om > 59) throw bad('no such offset');
    offsetMs = (m[9] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMs;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** month is 1–12 */
const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The JST wall-clock of an instant (month 1–12). */
function jstFields(ms: number) {
  const d = new Date(ms + JST_OFFSET_MS);
  return {
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
    hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), ms: d.getUTCMilliseconds(),
  };
}

/** n JST calendar months after the instant, on its JST day (clamped to the month's end) and time. */
function addJstMonthsMs(ms: number, n: number): number {
  const f = jstFields(ms);
  const total = f.year * 12 + (f.month - 1) + n;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const day = Math.min(f.day, daysInMonth(year, month));
  return Date.UTC(year, month - 1, day, f.hour, f.minute, f.second, f.ms) - JST_OFFSET_MS;
}
