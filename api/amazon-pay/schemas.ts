import { z } from 'zod';
import { failureRecord } from '../openapi/common';

const orderNumber = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ or -, at most 64');

/** An order paid with Amazon Pay under 非同期オーソリ: the checkout's ChargePermission and the shop's settings. */
export const authorizationBody = z.object({
  orderId: orderNumber,
  chargePermissionId: z.string().regex(/^[A-Z0-9][A-Z0-9-]{5,63}$/, 'an Amazon Pay ChargePermission id, e.g. S01-1234567-7654321'),
  amountJpy: z.number().int('whole yen').min(1).max(10_000_000, 'at most ¥10,000,000 per charge'),
  /** オーソリ時確定フラグ; the shop's setting when absent */
  captureOnAuthorization: z.boolean().optional(),
  cancelOnDecline: z.boolean().default(false),
  /** the 決済方法 code whose settings apply (e.g. its 与信NG時自動受注取消); 'amazon-pay' by default */
  paymentMethod: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a payment method code').optional(),
});

export const amazonOrderParams = z.object({ shopId: z.string(), orderId: orderNumber });

const interval = z.object({ unit: z.enum(['Day', 'Week', 'Month']), value: z.number().int().min(1) });

/** A recurring parent order (定期親受注) for a Recurring ChargePermission. */
export const recurringBody = z.object({
  parentOrderId: orderNumber,
  chargePermissionId: authorizationBody.shape.chargePermissionId,
  amountJpy: z.number().int('whole yen').min(1),
  interval,
  firstChargeAt: z.string().datetime({ offset: true }),
  captureNow: z.boolean().default(true),
  /** the shop's setting when absent */
  expiryWarningDays: z.number().int().min(1).max(120).optional(),
});

export const planChangeBody = z.object({ amountJpy: z.number().int().min(1).optional(), interval: interval.optional() })
  .refine((b) => b.amountJpy !== undefined || b.interval !== undefined, { message: 'give amountJpy or interval' });
export const closeBody = z.object({ reason: z.string().trim().min(1).max(255) });
export const parentParams = z.object({ shopId: z.string(), parentOrderId: orderNumber });
export const childParams = parentParams.extend({ cycle: z.coerce.number().int().min(1) });

/** The shipment report: what was shipped may be less than was authorized (a smaller capture); all of it when absent. */
export const shippedBody = z.object({ amountJpy: z.number().int('whole yen').min(1).max(10_000_000).optional() }).strict();

/** An IPN as SNS posts it: a JSON envelope sent as text/plain (checked by its signature, not by a schema). */
export const ipnBody = z.string().max(65_536).describe('the SNS message, as SNS sends it (text/plain JSON)');

// --- answers (the OpenAPI document's response schemas) ---

export const authorizationAnswer = z.looseObject({ workflowId: z.string(), paymentStatus: z.string(), note: z.string().optional() });

export const amazonPayOrderAnswer = z.looseObject({
  shopId: z.string(), orderId: z.string(), chargePermissionId: z.string(), chargeId: z.string().nullable(), amountJpy: z.number(),
  paymentStatus: z.string(), creditStatus: z.string().nullable(), cancelRequested: z.boolean(), lastError: z.string().nullable(),
  workflowId: z.string(), failure: failureRecord, outbox: z.array(z.looseObject({})),
});

export const shippedAnswer = z.looseObject({ workflowId: z.string(), creditStatus: z.string().nullable(), note: z.string().optional() });

export const recurringStartAnswer = z.looseObject({ workflowId: z.string(), status: z.string().optional(), note: z.string().optional() });

/** The parent as stored; the running workflow adds its live view (next charge, this month's total). */
export const recurringParentAnswer = z.looseObject({
  shopId: z.string(), parentOrderId: z.string(), chargePermissionId: z.string(), amountJpy: z.number(),
  intervalUnit: z.string(), intervalValue: z.number(), status: z.string(), expiresAt: z.string().nullable(), failure: failureRecord,
  children: z.array(z.looseObject({
    cycle: z.number(), scheduledAt: z.string(), outcome: z.string(), amountJpy: z.number(), chargeId: z.string().nullable(),
    chargeState: z.string().nullable(), reason: z.string().nullable(),
  })),
});

/** An IPN taken in: the workflow it went to, or why nothing was signalled. */
export const ipnAnswer = z.union([z.looseObject({ routed: z.string() }), z.looseObject({ ignored: z.string() })]);

/** The recurring parent's view after a plan change or a close (as GET shows its live part). */
export const recurringViewAnswer = z.looseObject({});
export const skipNextAnswer = z.looseObject({ skipped: z.string() });
export const childActionAnswer = z.looseObject({ cycle: z.number(), chargeState: z.string() });
