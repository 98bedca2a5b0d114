import { toAmazonTimestamp } from '../timestamps';
import { capApplies, capBalance, oneTimeBalance } from './limits';
import { price } from './money';
import type { Lifecycle } from './lifecycle';
import type { AmazonPayStore, ChargeRecord, PermissionRecord, RefundRecord } from './model';

/**
 * Records as Amazon sends them (§3, §10): every documented key present, null when empty, amounts as strings,
 * timestamps in basic ISO-8601 UTC.
 */
const ts = toAmazonTimestamp;

export function permissionView(cp: PermissionRecord, store: AmazonPayStore, lifecycle: Lifecycle, now: Date) {
  const s = store.settings;
  let limits: { amountLimit: ReturnType<typeof price> | null; amountBalance: ReturnType<typeof price> | null };
  if (capApplies(cp, s)) {
    limits = { amountLimit: price(s.recurringMonthlyCapJpy ?? 0, cp.currency), amountBalance: price(capBalance(cp, now, s), cp.currency) };
  } else {
    const balance = oneTimeBalance(cp, store);
    limits = {
      amountLimit: cp.amountLimitMinor === null ? null : price(cp.amountLimitMinor, cp.currency),
      amountBalance: balance === null ? null : price(balance, cp.currency),
    };
  }
  return {
    chargePermissionId: cp.id,
    chargePermissionReferenceId: cp.referenceId,
    chargePermissionType: cp.type,
    recurringMetadata: cp.type === 'Recurring'
      ? {
          frequency: cp.frequency ?? { unit: 'Variable', value: '0' },
          amount: cp.recurringAmountMinor === null ? null : price(cp.recurringAmountMinor, cp.currency),
        }
      : null,
    limits,
    statusDetails: {
      state: cp.state,
      reasons: cp.reasonCode === null ? null : [{ reasonCode: cp.reasonCode, reasonDescription: cp.reasonDescription }],
      lastUpdatedTimestamp: ts(cp.updatedAt),
    },
    buyer: cp.buyer,
    shippingAddress: null,
    billingAddress: null,
    paymentPreferences: [{ paymentDescriptor: cp.paymentDescriptor }],
    merchantMetadata: cp.merchantMetadata,
    presentmentCurrency: cp.currency,
    creationTimestamp: ts(cp.createdAt),
    expirationTimestamp: ts(lifecycle.permissionExpiresAt(cp)),
    releaseEnvironment: cp.environment,
    platformId: cp.platformId,
  };
}

export function chargeView(c: ChargeRecord) {
  return {
    chargeId: c.id,
    chargePermissionId: c.permissionId,
    chargeAmount: price(c.amountMinor, c.currency),
    captureAmount: c.captureMinor === null ? null : price(c.captureMinor, c.currency),
    refundedAmount: price(c.refundedMinor, c.currency),
    convertedAmount: null,
    conversionRate: null,
    captureNow: c.captureNow,
    canHandlePendingAuthorization: c.canHandlePendingAuthorization,
    softDescriptor: c.softDescriptor,
    providerMetadata: { providerReferenceId: c.providerReferenceId },
    merchantMetadata: c.merchantMetadata,
    channel: c.channel,
    chargeInitiator: c.chargeInitiator,
    platformId: c.platformId,
    webCheckoutDetails: null,
    statusDetails: { state: c.state, reasonCode: c.reasonCode, reasonDescription: c.reasonDescription, lastUpdatedTimestamp: ts(c.updatedAt) },
    creationTimestamp: ts(c.createdAt),
    expirationTimestamp: ts(c.expiresAt),
    releaseEnvironment: c.environment,
  };
}

export function refundView(r: RefundRecord) {
  return {
    refundId: r.id,
    chargeId: r.chargeId,
    refundAmount: price(r.amountMinor, r.currency),
    softDescriptor: r.softDescriptor,
    statusDetails: { state: r.state, reasonCode: r.reasonCode, reasonDescription: r.reasonDescription, lastUpdatedTimestamp: ts(r.updatedAt) },
    creationTimestamp: ts(r.createdAt),
    releaseEnvironment: r.environment,
  };
}

