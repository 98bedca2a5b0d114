/** GMO-PG dates: TranDate and ProcessDate are yyyyMMddHHmmss in JST (UTC+9, no daylight saving). */
const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** yyyyMMddHHmmss, JST. */
export function formatGmoDate(at: Date): string {
  return new Date(at.getTime() + JST_OFFSET_MS).toISOString().replace(/[-T:]/g, '').slice(0, 14);
}

/** The instant of a yyyyMMddHHmmss JST date; null when it is not one. */
export function parseGmoDate(text: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const at = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+09:00`);
  return Number.isNaN(at.getTime()) || formatGmoDate(at) !== text ? null : at;
}

/** The JST calendar day of an instant as a day number (days since 1970-01-01 JST). */
export function jstDayNumber(at: Date): number {
  return Math.floor((at.getTime() + JST_OFFSET_MS) / 86_400_000);
}

/** The JST calendar month of an instant as yyyyMM. */
export function jstMonth(at: Date): string {
  return formatGmoDate(at).slice(0, 6);
}
