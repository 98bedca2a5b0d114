/**
 * The date variants the Yahoo order APIs use (docs/providers/yahoo.md §3, §4, §5). Every wall-clock value is
 * JST; a value without an offset is read as JST.
 */
const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

const shift = (at: Date) => new Date(at.getTime() + JST_OFFSET_MS).toISOString();

/** `YYYY-MM-DDTHH:MI:SS+09:00`: 25 bytes, the form PayMethodChangeDeadline and the *Time fields carry. */
export function formatYahooDateTime(at: Date): string {
  return `${shift(at).slice(0, 19)}+09:00`;
}

/** `YYYYMMDDHH24MISS`: the form orderList's datetime conditions take. */
export function formatCompactDateTime(at: Date): string {
  return shift(at).slice(0, 19).replace(/[-T:]/g, '');
}

/** `YYYYMMDD` of the JST calendar date. */
export function formatCompactDate(at: Date): string {
  return shift(at).slice(0, 10).replace(/-/g, '');
}

/** `YYYY-MM-DD` of the JST calendar date (the date-only response fields). */
export function formatIsoDate(at: Date): string {
  return shift(at).slice(0, 10);
}

const VARIANTS: RegExp[] = [
  // YYYYMMDDHH24MISS and YYYYMMDD (requests)
  /^(?<y>\d{4})(?<mo>\d{2})(?<d>\d{2})(?:(?<h>\d{2})(?<mi>\d{2})(?<s>\d{2}))?$/,
  // YYYY-MM-DD, YYYY-MM-DDTHH:MI:SS with or without an offset or Z, and PaymentTerm's space form
  /^(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2})(?:[T ](?<h>\d{2}):(?<mi>\d{2})(?::(?<s>\d{2}))?(?<tz>Z|[+-]\d{2}:?\d{2})?)?$/,
];

/** Parses any of the variants to an instant; null when it is not a real date and time. */
export function parseYahooDateTime(value: string): Date | null {
  for (const re of VARIANTS) {
    const g = re.exec(value.trim())?.groups;
    if (!g) continue;
    const [y, mo, d, h, mi, s] = [g.y, g.mo, g.d, g.h ?? '00', g.mi ?? '00', g.s ?? '00'].map(Number) as [number, number, number, number, number, number];
    const wall = Date.UTC(y, mo - 1, d, h, mi, s);
    const check = new Date(wall);
    if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
    let offsetMs = JST_OFFSET_MS;
    if (g.tz === 'Z') offsetMs = 0;
    else if (g.tz) {
      const m = /^([+-])(\d{2}):?(\d{2})$/.exec(g.tz);
      if (!m) return null;
      offsetMs = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
    }
    return new Date(wall - offsetMs);
  }
  return null;
}
