const DAY_MS = 86_400_000;

export const addMs = (at: Date, ms: number): Date => new Date(at.getTime() + ms);
export const addDays = (at: Date, days: number): Date => addMs(at, days * DAY_MS);

/** Calendar months in UTC, the day clamped to the month's end (Jan 31 + 1 month = Feb 28/29), time kept. */
export function addMonths(at: Date, months: number): Date {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(at.getUTCDate(), lastDay), at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds(), at.getUTCMilliseconds()));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar month of an instant in a time zone, as YYYY-MM: 23:30 JST on Jan 31 is 2027-01, though UTC is still the 31st too. */
export function monthKey(at: Date, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(at);
  const year = parts.find((p) => p.type === 'year')?.value;
  const month = parts.find((p) => p.type === 'month')?.value;
  return `${year}-${month}`;
}
