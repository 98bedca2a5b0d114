/**
 * Money as integers of the currency's minor unit, so that sums and caps never meet floating point. JPY has no minor
 * unit: "3980" is 3980, and "3980.5" (or even "3980.0") is refused (ASSUMED InvalidParameterValue, spec §1).
 */
const DECIMALS: Record<string, number> = { JPY: 0 };
export const decimalsOf = (currency: string): number => DECIMALS[currency] ?? 2;

/** Minor units of an amount string, or null when it is not a valid amount in that currency. */
export function toMinor(amount: string, currency: string): number | null {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(amount);
  if (!m) return null;
  const decimals = decimalsOf(currency);
  const fraction = m[2];
  if (fraction !== undefined && (decimals === 0 || fraction.length > decimals)) return null;
  const value = Number(m[1]) * 10 ** decimals + Number((fraction ?? '').padEnd(decimals, '0') || '0');
  return Number.isSafeInteger(value) ? value : null;
}

export function formatMinor(minor: number, currency: string): string {
  const decimals = decimalsOf(currency);
  if (decimals === 0) return String(minor);
  const text = String(Math.abs(minor)).padStart(decimals + 1, '0');
  return `${minor < 0 ? '-' : ''}${text.slice(0, -decimals)}.${text.slice(-decimals)}`;
}

export const price = (minor: number, currency: string) => ({ amount: formatMinor(minor, currency), currencyCode: currency });

/** Request amounts may come as numbers (SDK samples do that): they are read as their decimal text. */
export function normalizeAmounts(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const out: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const [key, value] of Object.entries(out)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const v = value as Record<string, unknown>;
      out[key] = typeof v.amount === 'number' && Number.isFinite(v.amount) ? { ...v, amount: String(v.amount) } : normalizeAmounts(v);
    }
  }
  return out;
}
