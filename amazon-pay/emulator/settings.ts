import { z } from 'zod';

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/**
 * Everything the public material leaves open (docs/providers/amazon-pay.md, marked ASSUMED there) is a setting, so a test
 * can take the other reading. GET|POST /_sandbox/settings; a POST takes any subset, an unknown key is refused.
 */
export const amazonPaySettingsSchema = z.object({
  /** the x-amz-pay-host a request must sign; null accepts any host */
  expectedHost: z.string().min(1).nullable(),
  /** allowed distance between x-amz-pay-date and now (ASSUMED ±15 min) */
  clockSkewMs: z.number().int().min(0).max(7 * 86_400_000),
  /**
   * Also accept an x-amz-pay-date within the skew of real time. A client signs with its machine's clock; when a test
   * moves the emulator clock for business timers, our own client must keep working.
   */
  acceptRealTimeDates: z.boolean(),
  /** JP Recurring cap per CP per calendar month, in JPY; null: no cap (§9) */
  recurringMonthlyCapJpy: z.number().int().min(1).nullable(),
  /** the calendar month of the cap is counted in this IANA time zone (ASSUMED Asia/Tokyo) */
  capTimeZone: z.string().refine(isTimeZone, 'an IANA time zone, e.g. Asia/Tokyo'),
  /** a Declined or Canceled charge gives its amount back to the month's balance (ASSUMED yes; refunds never do) */
  capReleasedOnDeclineOrCancel: z.boolean(),
  /** Recurring CP lifetime in calendar months (13 per [jp]) */
  recurringExpiryMonths: z.number().int().min(1).max(120),
  /** each successful authorization restarts the Recurring lifetime (ASSUMED, [3p-note]) */
  authorizationExtendsRecurringExpiry: z.boolean(),
  /** OneTime CP lifetime; `extendExpiration` at mint gives `recurringExpiryMonths` months instead */
  oneTimeExpiryDays: z.number().int().min(1).max(3650),
  /** at most this many Charges per OneTime CP (25 per docs) */
  oneTimeMaxCharges: z.number().int().min(1),
  /** an Authorized charge not captured within this many days is Canceled/ExpiredUnused */
  authorizationExpiryDays: z.number().int().min(1).max(365),
  /** a capture this long after authorization is asynchronous: CaptureInitiated (7 days per docs) */
  asyncCaptureAfterDays: z.number().int().min(0).max(365),
  /** CaptureInitiated → Captured after this long on the emulator clock (ASSUMED) */
  captureDelayMs: z.number().int().min(0),
  /** AuthorizationInitiated → its final state after this long when nothing else is scripted (sandbox docs: 30 s) */
  pendingAuthorizationDelayMs: z.number().int().min(0),
  /** RefundInitiated → Refunded after this long (ASSUMED) */
  refundDelayMs: z.number().int().min(0),
  /** largest chargeAmount in JPY (¥10,000,000 per docs) */
  maxChargeAmountJpy: z.number().int().min(1),
  /** refunds may exceed the captured amount by min(percent, cap) (JP: 15%, ¥8,400) */
  refundOveragePercent: z.number().min(0).max(100),
  refundOverageCapJpy: z.number().int().min(0),
  /** a token bucket per operation answering 429 TooManyRequests; null: no throttling (the real quotas are unknown) */
  throttle: z.object({ burst: z.number().int().min(1), restorePerSecond: z.number().positive() }).nullable(),
});
export type AmazonPaySettings = z.infer<typeof amazonPaySettingsSchema>;
export const amazonPaySettingsPatchSchema = amazonPaySettingsSchema.partial().strict();

export const defaultAmazonPaySettings = (): AmazonPaySettings => ({
  expectedHost: 'pay-api.amazon.jp',
  clockSkewMs: 15 * 60_000,
  acceptRealTimeDates: true,
  recurringMonthlyCapJpy: 100_000,
  capTimeZone: 'Asia/Tokyo',
  capReleasedOnDeclineOrCancel: true,
  recurringExpiryMonths: 13,
  authorizationExtendsRecurringExpiry: true,
  oneTimeExpiryDays: 180,
  oneTimeMaxCharges: 25,
  authorizationExpiryDays: 30,
  asyncCaptureAfterDays: 7,
  captureDelayMs: 60 * 60_000,
  pendingAuthorizationDelayMs: 30_000,
  refundDelayMs: 5 * 60_000,
  maxChargeAmountJpy: 10_000_000,
  refundOveragePercent: 15,
  refundOverageCapJpy: 8_400,
  throttle: null,
});
