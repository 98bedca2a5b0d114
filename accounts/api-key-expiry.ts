/** au PAY's API key lives 90 days from its issue (spec part B); the shop hears 14 days before. */
export const AU_PAY_KEY_LIFETIME_DAYS = 90;
export const AU_PAY_REMINDER_DAYS_BEFORE = 14;

const DAY_MS = 86_400_000;
const dayNumber = (isoDate: string) => Date.parse(`${isoDate}T00:00:00+09:00`) / DAY_MS;

export interface KeyExpiry {
  expiresOn: string;
  daysLeft: number;
  /** inside the reminder window (and not yet expired long ago) */
  remind: boolean;
}

/** Days are JST calendar days: a key issued on 2026-09-01 expires on 2026-11-30. */
export function auPayKeyExpiry(issuedOn: string, today: string): KeyExpiry {
  const expires = dayNumber(issuedOn) + AU_PAY_KEY_LIFETIME_DAYS;
  const daysLeft = Math.round(expires - dayNumber(today));
  const expiresOn = new Date(expires * DAY_MS + 9 * 3_600_000).toISOString().slice(0, 10);
  return { expiresOn, daysLeft, remind: daysLeft <= AU_PAY_REMINDER_DAYS_BEFORE };
}
