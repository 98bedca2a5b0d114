import { monthKey } from './calendar';
import type { AmazonPaySettings } from './settings';
import type { AmazonPayStore, ChargeRecord, PermissionRecord } from './model';

/**
 * A CP's `limits` (§3.2, §9). Recurring in JPY: the monthly cap, counted per calendar month of `capTimeZone` over the
 * charges created from the CP that month. OneTime: the checkout total less what has been charged on it (ASSUMED).
 */
export function capApplies(cp: PermissionRecord, settings: AmazonPaySettings): boolean {
  return cp.type === 'Recurring' && cp.currency === 'JPY' && settings.recurringMonthlyCapJpy !== null;
}

/** What counts against the cap in the calendar month of `now`. */
export function capUsed(cp: PermissionRecord, now: Date, settings: AmazonPaySettings): number {
  const month = monthKey(now, settings.capTimeZone);
  return cp.capUses.filter((u) => !u.released && monthKey(u.at, settings.capTimeZone) === month).reduce((sum, u) => sum + u.minor, 0);
}

export function capBalance(cp: PermissionRecord, now: Date, settings: AmazonPaySettings): number {
  return Math.max(0, (settings.recurringMonthlyCapJpy ?? 0) - capUsed(cp, now, settings));
}

export function useCap(cp: PermissionRecord, minor: number, at: Date, chargeId: string | null): void {
  cp.capUses.push({ at, minor, chargeId, released: false });
}

/** A Declined or Canceled charge gives its amount back, when the setting says so. */
export function releaseCap(cp: PermissionRecord, chargeId: string, settings: AmazonPaySettings): void {
  if (!settings.capReleasedOnDeclineOrCancel) return;
  for (const use of cp.capUses) if (use.chargeId === chargeId) use.released = true;
}

/** What a charge takes of a OneTime CP's total: the captured amount once captured, nothing once it failed. */
function committed(charge: ChargeRecord): number {
  if (charge.state === 'Declined' || charge.state === 'Canceled') return 0;
  if (charge.state === 'Captured') return charge.captureMinor ?? charge.amountMinor;
  return charge.amountMinor;
}

export function oneTimeBalance(cp: PermissionRecord, store: AmazonPayStore): number | null {
  if (cp.amountLimitMinor === null) return null;
  const used = store.chargesOf(cp.id).reduce((sum, c) => sum + committed(c), 0);
  return Math.max(0, cp.amountLimitMinor - used);
}

/** True once the OneTime total has been captured in full: Amazon then closes the CP (AmazonClosed). */
export function oneTimeFullyCaptured(cp: PermissionRecord, store: AmazonPayStore): boolean {
  if (cp.type !== 'OneTime' || cp.amountLimitMinor === null) return false;
  const captured = store.chargesOf(cp.id).filter((c) => c.state === 'Captured').reduce((sum, c) => sum + (c.captureMinor ?? 0), 0);
  return captured >= cp.amountLimitMinor;
}
