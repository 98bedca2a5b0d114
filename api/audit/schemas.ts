import { z } from 'zod';

export const auditQuery = z.object({
  orderId: z.string().min(1).max(64).optional(),
  operator: z.string().min(1).max(120).optional(),
  action: z.string().regex(/^[a-z0-9.-]{1,64}$/, 'an action name, e.g. au-pay.link-status').optional(),
  since: z.iso.datetime({ offset: true, message: 'an ISO time, e.g. 2026-11-30T09:00:00+09:00' }).optional(),
  until: z.iso.datetime({ offset: true, message: 'an ISO time, e.g. 2026-11-30T18:00:00+09:00' }).optional(),
  cursor: z.string().regex(/^\d{1,18}$/, 'the nextCursor of the previous page').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

// --- answers (the OpenAPI document's response schemas) ---

export const auditAnswer = z.looseObject({
  entries: z.array(z.looseObject({
    id: z.string(), at: z.string(), operatorId: z.string(), operator: z.string(), shopId: z.string().nullable(), process: z.string().nullable(),
    orderId: z.string().nullable(), action: z.string(), input: z.unknown(), outcome: z.enum(['pending', 'applied', 'refused', 'failed']),
    reason: z.string().nullable(), httpStatus: z.number().nullable(), bulkId: z.string().nullable(), finishedAt: z.string().nullable(),
  })),
  nextCursor: z.string().nullable(),
});
