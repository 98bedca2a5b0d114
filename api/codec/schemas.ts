import { z } from 'zod';

/** Payloads as Temporal's codec protocol sends them: protobuf JSON, bytes in base64. */
const base64 = z.string().max(8_000_000).regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');
export const payloadsBody = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string().max(256), base64).nullish(), data: base64.nullish() })).max(10_000),
});

export const payloadsAnswer = z.looseObject({
  payloads: z.array(z.looseObject({ metadata: z.record(z.string(), z.string()), data: z.string().optional() })),
});
