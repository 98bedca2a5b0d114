import { z } from 'zod';
import { failureRecord } from '../openapi/common';
import { orderIdSchema as gmoOrderIdSchema } from '../../gmo-pg/schemas';
import { PAYMENT_PROVIDERS } from '../../payments/registry';
import { CANCEL_DECISIONS, CANCEL_SOURCES } from '../../workflows/order-cancel-messages';

export const orderNumber = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ or -, at most 64');
export const methodCode = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a payment method code: lower-case letters, digits, _ or -, at most 64');

/** A cancel request, from the shop's admin or the buyer's order history: the order and its payment's provider ids. */
export const cancelRequestBody = z
  .object({
    orderId: orderNumber,
    source: z.enum(CANCEL_SOURCES),
    payment: z.object({
      method: methodCode,
      gmoPgOrderId: gmoOrderIdSchema.optional(),
      amazonPayChargeId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'an Amazon Pay chargeId').optional(),
      recurringRole: z.enum(['parent', 'child']).optional(),
      providerRef: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'a provider\'s id of the payment').optional(),
    }),
    /** hours before a reminder when a failed provider cancel waits for the operator (default 24) */
    remindAfterHours: z.number().positive().max(24 * 30).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.payment.recurringRole === 'child' && !b.payment.amazonPayChargeId) {
      ctx.addIssue({ code: 'custom', path: ['payment', 'amazonPayChargeId'], message: 'a recurring child is canceled through its own charge: give its chargeId' });
    }
  });

export const decisionBody = z.object({ choice: z.enum(CANCEL_DECISIONS) });

export const orderParams = z.object({ shopId: z.string(), orderId: orderNumber });
export const methodParams = z.object({ shopId: z.string(), method: methodCode });

/** 決済方法 settings: the provider, 取消API連携フラグ, オーソリ確定後金額連携フラグ, 与信NG時自動受注取消. */
export const paymentMethodBody = z.object({
  provider: z.enum([...PAYMENT_PROVIDERS, 'manual']),
  cancelApi: z.boolean(),
  amountChangeApi: z.boolean().default(false),
  autoCancelOnNg: z.boolean().default(false),
});

// --- answers (the OpenAPI document's response schemas) ---

const paymentMethodSetting = z.looseObject({
  shopId: z.string(), paymentMethod: z.string(), provider: z.string(), cancelApi: z.boolean(), amountChangeApi: z.boolean(), autoCancelOnNg: z.boolean(),
});
export const paymentMethodAnswer = paymentMethodSetting;
export const paymentMethodsAnswer = z.looseObject({ paymentMethods: z.array(paymentMethodSetting) });

const cancelRecord = z.looseObject({
  shopId: z.string(), orderId: z.string(), paymentMethod: z.string(), orderStatus: z.string(), status: z.string(),
  sources: z.array(z.string()), cycle: z.number(), providerOutcome: z.string().nullable(), decision: z.string().nullable(),
  reminders: z.number(), outboxId: z.string().nullable(), createdAt: z.string(), updatedAt: z.string(),
});

export const cancelStartAnswer = z.looseObject({ workflowId: z.string(), note: z.string().optional(), cancel: cancelRecord.optional() });

export const cancelAnswer = cancelRecord.extend({
  workflowId: z.string(), failure: failureRecord, orderOut: z.looseObject({ id: z.string() }).nullable(),
});

/** The saga's state once the operator's choice is applied. */
export const decisionAnswer = z.looseObject({});
