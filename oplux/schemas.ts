import { z } from 'zod';
import { REVIEW_RESULTS, TRANSPORT_RESULT } from './codes';

// The wire's XML, parsed (xml.ts) and checked; the code tables are in codes.ts.

export const ruleSchema = z.object({
  code: z.string(),
  ok: z.string().optional(),
  ng: z.string().optional(),
  hold: z.string().optional(),
  touchpoint: z.string().optional(),
  description: z.string().optional(),
  fired: z.string().optional(),
});

/** `<errors/>` parses as an empty string, `<errors><error>…` as an object. */
const errorsSchema = z
  .union([z.literal(''), z.object({ error: z.array(z.object({ code: z.string(), message: z.string().optional().default('') })).optional() })])
  .optional()
  .transform((e) => (e && typeof e === 'object' ? (e.error ?? []) : []));

/** A container that may be empty (`<rules/>` is ""), holding an always-array child. */
const list = <T extends z.ZodTypeAny>(key: string, item: T) =>
  z
    .union([z.literal(''), z.record(z.string(), z.array(item).optional())])
    .optional()
    .transform((c): z.infer<T>[] => (c && typeof c === 'object' ? (c[key] ?? []) : []));

const scoreSchema = z
  .union([z.literal(''), z.object({ ok: z.string().optional(), ng: z.string().optional(), hold: z.string().optional() })])
  .optional()
  .transform((s) => ({
    ok: Number((s && typeof s === 'object' && s.ok) || 0),
    ng: Number((s && typeof s === 'object' && s.ng) || 0),
    hold: Number((s && typeof s === 'object' && s.hold) || 0),
  }));

const similarSchema = z.object({ event_id: z.string().optional() }).passthrough();

export const registeredEventSchema = z.object({
  id: z.string(),
  result: z.enum(REVIEW_RESULTS),
  skipped: z.string().optional(),
  score: scoreSchema,
  rules: list('rule', ruleSchema),
  ruleGroup: z.string().optional(),
  rule_group: z.string().optional(), // SFCC's spelling: accept both
  similars: list('similar', similarSchema),
});

const resultBox = z.union([z.literal(''), z.object({ result: z.string().optional(), reason: z.string().optional() })]).optional();

export const fetchedEventSchema = z.object({
  id: z.string(),
  request_datetime: z.string().optional(),
  event_type: z.string().optional(),
  event_id_for_shop: z.string().optional(),
  authori_deadline_datetime: z.string().optional(),
  aaresult: resultBox,
  maresult: resultBox,
  score: scoreSchema,
  rules: list('rule', ruleSchema),
  similars: list('similar', similarSchema),
  settle_status: z.string().optional(),
  memo: z.string().optional(),
  blacked: z.string().optional(),
  deleted: z.string().optional(),
});

export const responseSchema = z.object({
  response: z.object({
    time: z.string().optional(),
    result: z.enum([TRANSPORT_RESULT.ok, TRANSPORT_RESULT.error]),
    errors: errorsSchema,
    event: registeredEventSchema.optional(),
    events: list('event', fetchedEventSchema),
    id: z.string().optional(),
  }),
});
