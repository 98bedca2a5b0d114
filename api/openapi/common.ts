import { z } from 'zod';

/** Every 4xx and 5xx the API answers: the reason, and for a refused input each field with its reason. */
export const errorBody = z.looseObject({
  error: z.string(),
  issues: z.array(z.looseObject({ field: z.string(), reason: z.string() })).optional(),
});

/** The shop of every /shops/{shopId} route (checked by requireKnownShop: 404 for a shop this caller cannot see). */
export const shopParams = z.object({ shopId: z.string() });

/** A process that failed for good (process_failures), shown on the order's read; null while none stands. */
export const failureRecord = z.looseObject({ process: z.string(), reason: z.string(), failedAt: z.string() }).nullable();

/** An instant as JSON carries it: ISO 8601 text. */
export const instant = z.string();

/** Responses: `ok` for a success with its body; `fail` for the 4xx/5xx a route answers itself (the error body). */
export const ok = (description: string, schema?: z.ZodType) => ({ description, ...(schema ? { schema } : {}) });
export const fail = (description: string) => ({ description, schema: errorBody });
