/** Business time is Asia/Tokyo (UTC+9, no daylight saving). */
const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** The JST calendar date of an instant, as YYYY-MM-DD. */
export function jstDate(at: Date): string {
  return new Date(at.getTime() + JST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The JST wall-clock time of an instant, as YYYY/MM/DD HH:MM (the format au PAY uses for order dates). */
export function jstDateTime(at: Date): string {
  const iso = new Date(at.getTime() + JST_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10).replace(/-/g, '/')} ${iso.slice(11, 16)}`;
}

/** Parses a calendar date given as YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD; returns YYYY-MM-DD, or null when it is not a real date. */
export function parseCalendarDate(text: string): string | null {
  const m = /^(\d{4})[-/]?(\d{2})[-/]?(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d] = m;
  const iso = `${y}-${mo}-${d}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso ? iso : null;
}
