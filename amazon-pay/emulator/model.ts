import { randomInt } from 'node:crypto';
import { defaultAmazonPaySettings, type AmazonPaySettings } from './settings';

/**
 * The emulator's records of Amazon Pay objects (docs/providers/amazon-pay.md §3). Amounts are integers of the currency's
 * minor unit (money.ts); views.ts turns a record into the JSON Amazon sends.
 */
export type ReleaseEnvironment = 'Sandbox' | 'Live';
export type PermissionType = 'OneTime' | 'Recurring';
export type FrequencyUnit = 'Year' | 'Month' | 'Week' | 'Day' | 'Variable';

export interface MerchantMetadata {
  merchantReferenceId: string | null;
  merchantStoreName: string | null;
  noteToBuyer: string | null;
  customInformation: string | null;
}

/** One charge's claim on a Recurring CP's monthly cap; `chargeId` is null for a synchronous decline that still counts. */
export interface CapUse {
  at: Date;
  minor: number;
  chargeId: string | null;
  released: boolean;
}

/** A scheduled asynchronous result: AuthorizationInitiated, CaptureInitiated or RefundInitiated becomes `state` at `dueAt`. */
export interface PendingResult {
  dueAt: Date;
  state: string;
  reasonCode: string | null;
}

export interface PermissionRecord {
  id: string;
  environment: ReleaseEnvironment;
  type: PermissionType;
  currency: string;
  state: string;
  /** CPs carry a reasons array where Charges and Refunds carry one reasonCode (§3.2) */
  reasonCode: string | null;
  reasonDescription: string | null;
  updatedAt: Date;
  createdAt: Date;
  /** the last successful authorization: it restarts a Recurring CP's lifetime */
  lastAuthorizedAt: Date | null;
  /** JP `paymentDetails.extendExpiration`: a OneTime CP lives 13 months instead of 180 days */
  extendExpiration: boolean;
  frequency: { unit: FrequencyUnit; value: string } | null;
  recurringAmountMinor: number | null;
  /** OneTime: the checkout's total, the most that can be charged on it; null: unlimited */
  amountLimitMinor: number | null;
  merchantMetadata: MerchantMetadata;
  buyer: Record<string, unknown>;
  referenceId: string | null;
  platformId: string | null;
  paymentDescriptor: string | null;
  capUses: CapUse[];
  chargeSeq: number;
  refundSeq: number;
}

export interface ChargeRecord {
  id: string;
  permissionId: string;
  environment: ReleaseEnvironment;
  currency: string;
  amountMinor: number;
  captureNow: boolean;
  canHandlePendingAuthorization: boolean;
  softDescriptor: string | null;
  merchantMetadata: MerchantMetadata;
  providerReferenceId: string | null;
  platformId: string | null;
  chargeInitiator: string | null;
  channel: string | null;
  state: string;
  reasonCode: string | null;
  reasonDescription: string | null;
  updatedAt: Date;
  createdAt: Date;
  /** an Authorized charge not captured by then is Canceled/ExpiredUnused */
  expiresAt: Date;
  authorizedAt: Date | null;
  captureMinor: number | null;
  refundedMinor: number;
  pending: PendingResult | null;
}

export interface RefundRecord {
  id: string;
  chargeId: string;
  permissionId: string;
  environment: ReleaseEnvironment;
  currency: string;
  amountMinor: number;
  softDescriptor: string | null;
  state: string;
  reasonCode: string | null;
  reasonDescription: string | null;
  updatedAt: Date;
  createdAt: Date;
  pending: PendingResult | null;
}

export const emptyMerchantMetadata = (): MerchantMetadata => ({
  merchantReferenceId: null, merchantStoreName: null, noteToBuyer: null, customInformation: null,
});

const digits = (n: number) => String(randomInt(0, 10 ** n)).padStart(n, '0');

/** Every object of the emulator, and its settings. Objects belong to one environment: a Sandbox CP is not found on /live. */
export class AmazonPayStore {
  readonly permissions = new Map<string, PermissionRecord>();
  readonly charges = new Map<string, ChargeRecord>();
  readonly refunds = new Map<string, RefundRecord>();
  settings: AmazonPaySettings = defaultAmazonPaySettings();

  reset(): void {
    this.permissions.clear();
    this.charges.clear();
    this.refunds.clear();
    this.settings = defaultAmazonPaySettings();
  }

  /** S01-1234567-7654321 as in the docs' examples; P01- for Live (ASSUMED). */
  newPermissionId(environment: ReleaseEnvironment): string {
    for (;;) {
      const id = `${environment === 'Live' ? 'P01' : 'S01'}-${digits(7)}-${digits(7)}`;
      if (!this.permissions.has(id)) return id;
    }
  }

  /** <cpId>-C000001, counted per CP. */
  nextChargeId(cp: PermissionRecord): string {
    cp.chargeSeq += 1;
    return `${cp.id}-C${String(cp.chargeSeq).padStart(6, '0')}`;
  }

  /** <cpId>-R000001, counted per CP. */
  nextRefundId(cp: PermissionRecord): string {
    cp.refundSeq += 1;
    return `${cp.id}-R${String(cp.refundSeq).padStart(6, '0')}`;
  }

  permission(id: string, environment?: ReleaseEnvironment): PermissionRecord | undefined {
    const cp = this.permissions.get(id);
    return cp && (!environment || cp.environment === environment) ? cp : undefined;
  }

  charge(id: string, environment?: ReleaseEnvironment): ChargeRecord | undefined {
    const charge = this.charges.get(id);
    return charge && (!environment || charge.environment === environment) ? charge : undefined;
  }

  refund(id: string, environment?: ReleaseEnvironment): RefundRecord | undefined {
    const refund = this.refunds.get(id);
    return refund && (!environment || refund.environment === environment) ? refund : undefined;
  }

  chargesOf(permissionId: string): ChargeRecord[] {
    return [...this.charges.values()].filter((c) => c.permissionId === permissionId);
  }

  refundsOf(chargeId: string): RefundRecord[] {
    return [...this.refunds.values()].filter((r) => r.chargeId === chargeId);
  }
}
