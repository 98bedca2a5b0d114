import { z } from 'zod';

/**
 * Amazon Pay API v2 objects (docs/providers/amazon-pay.md §3, §10), shared by our client and our emulator. States and
 * reason codes are open strings with the known values listed, so a new code from Amazon never breaks parsing.
 */
export const priceSchema = z.object({ amount: z.string().regex(/^\d+(\.\d+)?$/), currencyCode: z.string().length(3) });
export type Price = z.infer<typeof priceSchema>;
export const jpy = (amount: number): Price => ({ amount: String(amount), currencyCode: 'JPY' });

/** ISO-8601 basic UTC as Amazon sends it (yyyyMMddTHHmmssZ), or null. */
export const amazonTimestamp = z.string().regex(/^\d{8}T\d{6}Z$/);

export const CHARGE_PERMISSION_STATES = ['Chargeable', 'NonChargeable', 'Closed'] as const;
export const CHARGE_STATES = ['AuthorizationInitiated', 'Authorized', 'CaptureInitiated', 'Captured', 'Canceled', 'Declined'] as const;
export const REFUND_STATES = ['RefundInitiated', 'Refunded', 'Declined'] as const;

type Open<T extends string> = T | (string & {});
export type ChargePermissionState = Open<(typeof CHARGE_PERMISSION_STATES)[number]>;
export type ChargeState = Open<(typeof CHARGE_STATES)[number]>;
export type RefundState = Open<(typeof REFUND_STATES)[number]>;

export const frequencySchema = z.object({ unit: z.enum(['Year', 'Month', 'Week', 'Day', 'Variable']), value: z.string() });

export const chargePermissionSchema = z.object({
  chargePermissionId: z.string(),
  chargePermissionReferenceId: z.string().nullable().optional(),
  chargePermissionType: z.string().default('OneTime'),
  recurringMetadata: z.object({ frequency: frequencySchema, amount: priceSchema.nullable() }).nullable().optional(),
  limits: z.object({ amountLimit: priceSchema.nullable(), amountBalance: priceSchema.nullable() }).nullable().optional(),
  statusDetails: z.object({
    state: z.string(),
    reasons: z.array(z.object({ reasonCode: z.string(), reasonDescription: z.string().nullable().optional() })).nullable(),
    lastUpdatedTimestamp: amazonTimestamp,
  }),
  merchantMetadata: z.record(z.string(), z.unknown()).nullable().optional(),
  presentmentCurrency: z.string().optional(),
  creationTimestamp: amazonTimestamp,
  expirationTimestamp: amazonTimestamp.nullable(),
  releaseEnvironment: z.string().optional(),
});
export type ChargePermission = z.infer<typeof chargePermissionSchema>;

/** A Charge's or a Refund's status: one reason code (a ChargePermission has a list of reasons). */
const objectStatusSchema = z.object({
  state: z.string(),
  reasonCode: z.string().nullable(),
  reasonDescription: z.string().nullable().optional(),
  lastUpdatedTimestamp: amazonTimestamp,
});

export const chargeSchema = z.object({
  chargeId: z.string(),
  chargePermissionId: z.string(),
  chargeAmount: priceSchema,
  captureAmount: priceSchema.nullable(),
  refundedAmount: priceSchema.nullable().optional(),
  captureNow: z.boolean().optional(),
  canHandlePendingAuthorization: z.boolean().optional(),
  softDescriptor: z.string().nullable().optional(),
  merchantMetadata: z.record(z.string(), z.unknown()).nullable().optional(),
  providerMetadata: z.object({ providerReferenceId: z.string().nullable() }).nullable().optional(),
  statusDetails: objectStatusSchema,
  creationTimestamp: amazonTimestamp,
  expirationTimestamp: amazonTimestamp.nullable(),
  releaseEnvironment: z.string().optional(),
});
export type Charge = z.infer<typeof chargeSchema>;

export const refundSchema = z.object({
  refundId: z.string(),
  chargeId: z.string(),
  refundAmount: priceSchema,
  softDescriptor: z.string().nullable().optional(),
  statusDetails: objectStatusSchema,
  creationTimestamp: amazonTimestamp,
  releaseEnvironment: z.string().optional(),
});
export type Refund = z.infer<typeof refundSchema>;

export const errorBodySchema = z.object({ reasonCode: z.string(), message: z.string().optional().default('') });

/** Idempotency keys: at most 32 of [A-Za-z0-9_-] (§6). */
export const idempotencyKeySchema = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'at most 32 characters of A-Z a-z 0-9 _ -');

export const createChargeRequestSchema = z.object({
  chargePermissionId: z.string().min(1),
  chargeAmount: priceSchema,
  captureNow: z.boolean().optional(),
  canHandlePendingAuthorization: z.boolean().optional(),
  softDescriptor: z.string().max(16).optional(),
  merchantMetadata: z.object({
    merchantReferenceId: z.string().max(256).optional(),
    merchantStoreName: z.string().max(50).optional(),
    noteToBuyer: z.string().max(255).optional(),
    customInformation: z.string().max(4096).optional(),
  }).optional(),
  providerMetadata: z.object({ providerReferenceId: z.string().optional() }).optional(),
  platformId: z.string().optional(),
  chargeInitiator: z.enum(['CITU', 'MITU', 'CITR', 'MITR']).optional(),
  channel: z.enum(['Web', 'App', 'Firetv', 'Offline']).optional(),
});
export type CreateChargeRequest = z.infer<typeof createChargeRequestSchema>;

export const captureChargeRequestSchema = z.object({ captureAmount: priceSchema, softDescriptor: z.string().max(16).optional() });
export const cancelChargeRequestSchema = z.object({ cancellationReason: z.string().max(255).optional() });
export const closeChargePermissionRequestSchema = z.object({
  closureReason: z.string().max(255).optional(),
  cancelPendingCharges: z.boolean().optional(),
});
export const updateChargePermissionRequestSchema = z.object({
  merchantMetadata: createChargeRequestSchema.shape.merchantMetadata,
  recurringMetadata: z.object({ frequency: frequencySchema, amount: priceSchema.nullable().optional() }).optional(),
});
export const createRefundRequestSchema = z.object({
  chargeId: z.string().min(1),
  refundAmount: priceSchema,
  softDescriptor: z.string().max(16).optional(),
});
