import { z } from 'zod';

export const mailListQuery = z.object({
  status: z.enum(['sending', 'sent', 'suppressed', 'failed']).optional(),
  recipient: z.string().email().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const throttleBody = z.object({
  windowMinutes: z.number().int().min(1).max(1440),
  threshold: z.number().int().min(1).max(10_000),
}).strict();

// --- answers (the OpenAPI document's response schemas) ---

export const mailsAnswer = z.looseObject({
  mails: z.array(z.looseObject({
    id: z.string(), recipient: z.string(), audience: z.string(), subject: z.string(), status: z.string(), isSummary: z.boolean(),
    error: z.string().nullable(), createdAt: z.string(), sentAt: z.string().nullable(),
  })),
});
export const throttleAnswer = z.looseObject({ windowMinutes: z.number(), threshold: z.number() });
