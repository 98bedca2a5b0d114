import { z } from 'zod';

/**
 * An ISO time with its offset, handed to PostgreSQL in UTC: an offset past ±15:59 or a year outside 1–9999 is one
 * PostgreSQL refuses (a 500 before), so it is the caller's 400 here.
 */
const instant = (example: string) => z.iso.datetime({ offset: true, message: `an ISO time, e.g. ${example}` })
  .transform((v) => new Date(v))
  .refine((d) => d.getUTCFullYear() >= 1 && d.getUTCFullYear() <= 9999, 'a time between the years 1 and 9999')
  .transform((d) => d.toISOString());

export const auditQuery = z.object({
  orderId: z.string().min(1).max(64).optional(),
  operator: z.string().min(1).max(120).optional(),
  action: z.string().regex(/^[a-z0-9.-]{1,64}$/, 'an action name, e.g. au-pay.link-status').optional(),
  since: instant('2026-11-30T09:00:00+09:00').optional(),
  until: instant('2026-11-30T18:00:00+09:00').optional(),
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
