import { z } from 'zod';

export const deliveriesQuery = z.object({
  orderId: z.string().min(1).max(64).optional(),
  status: z.enum(['pending', 'delivered', 'failed', 'held', 'withheld']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const fieldPath = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, 'a field name or a dotted path, e.g. delivery.freeField1');
/** Which order fields are sent; null: all of them. */
export const settingsBody = z.object({ fields: z.array(fieldPath).min(1).max(200).nullable() }).strict();

export const deliveryParams = z.object({ shopId: z.string(), id: z.string().regex(/^\d{1,18}$/, 'a delivery id: digits, at most 18') });

// --- answers (the OpenAPI document's response schemas) ---

export const deliveriesAnswer = z.looseObject({
  deliveries: z.array(z.looseObject({
    id: z.string(), shopId: z.string(), orderId: z.string(), event: z.string(), status: z.enum(['pending', 'delivered', 'failed', 'held', 'withheld']),
    attempts: z.number(), createdAt: z.string(), lastError: z.string().nullable(), deliveredAt: z.string().nullable(),
    attemptLog: z.array(z.looseObject({ at: z.string(), httpStatus: z.number().nullable(), error: z.string().nullable() })),
  })),
});
export const redeliverAnswer = z.looseObject({ id: z.string(), orderId: z.string(), status: z.string() });
export const settingsAnswer = z.looseObject({ fields: z.array(z.string()).nullable() });
