import { z } from 'zod';
import { orderIdSchema as gmoOrderIdSchema } from '../../gmo-pg/schemas';
import { methodCode, orderNumber } from '../cancel/schemas';

/** An amount change after authorization: the order, its payment's provider ids and the new total. */
export const amountChangeBody = z.object({
  orderId: orderNumber,
  payment: z.object({
    method: methodCode,
    gmoPgOrderId: gmoOrderIdSchema.optional(),
    amazonPayChargeId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'an Amazon Pay chargeId').optional(),
    providerRef: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'a provider\'s id of the payment').optional(),
  }),
  amountJpy: z.number().int('whole yen').min(1).max(9_999_999, 'GMO-PG and Amazon Pay take at most 7 digits'),
});

export const amountChangeParams = z.object({ shopId: z.string(), orderId: orderNumber });

// --- answers (the OpenAPI document's response schemas) ---

export const amountChangeStarted = z.looseObject({ workflowId: z.string() });
export const amountChangesAnswer = z.looseObject({
  orderId: z.string(),
  changes: z.array(z.looseObject({ amountJpy: z.number(), outcome: z.string(), detail: z.string().nullable(), createdAt: z.string() })),
});
