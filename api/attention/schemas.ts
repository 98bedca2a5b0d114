import { z } from 'zod';
import { ATTENTION_PROCESSES, ATTENTION_STATUSES, type AttentionCursor } from '../../db/attention';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** An ISO 8601 instant with its zone: a bare date or a local time would mean different instants to different callers. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const MAX_DURATION_MS = 3650 * UNIT_MS.d;

/** `30m`, `2h`, `3d` (that long ago), or an ISO instant: rows that entered their status before it. */
export const olderThan = z.string().transform((v, ctx) => {
  const d = /^(\d{1,7})([mhd])$/.exec(v);
  if (d) {
    const ms = Number(d[1]) * UNIT_MS[d[2] as keyof typeof UNIT_MS];
    if (ms > 0 && ms <= MAX_DURATION_MS) return new Date(Date.now() - ms);
  } else if (ISO_INSTANT.test(v) && !Number.isNaN(Date.parse(v))) {
    return new Date(v);
  }
  ctx.addIssue({ code: 'custom', message: 'a duration such as 30m, 2h or 3d (at most 3650d), or an ISO instant such as 2026-01-31T09:00:00+09:00' });
  return z.NEVER;
});

/** The cursor is opaque to callers: base64url of the last row's exact since, process, order and tie-break key. */
export const encodeCursor = (c: AttentionCursor): string =>
  Buffer.from(JSON.stringify([c.since, c.process, c.orderId, c.key])).toString('base64url');

const cursor = z.string().max(1024).transform((v, ctx): AttentionCursor => {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(v, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 4 && parsed.every((p) => typeof p === 'string')) {
      const [since, process, orderId, key] = parsed as [string, string, string, string];
      if (ISO_INSTANT.test(since) && !Number.isNaN(Date.parse(since)) && (ATTENTION_PROCESSES as readonly string[]).includes(process)) {
        return { since, process, orderId, key };
      }
    }
  } catch {
    // not JSON: answered below
  }
  ctx.addIssue({ code: 'custom', message: 'not a cursor from this list: pass nextCursor as it was given' });
  return z.NEVER;
});

export const attentionQuery = z.object({
  process: z.enum(ATTENTION_PROCESSES, { message: `one of ${ATTENTION_PROCESSES.join(', ')}` }).optional(),
  status: z.enum(ATTENTION_STATUSES as [string, ...string[]], { message: `one of ${ATTENTION_STATUSES.join(', ')}` }).optional(),
  olderThan: olderThan.optional(),
  cursor: cursor.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

// --- answers (the OpenAPI document's response schemas) ---

export const attentionAnswer = z.looseObject({
  items: z.array(z.looseObject({
    process: z.enum(ATTENTION_PROCESSES), orderId: z.string(), status: z.string(), since: z.string(), reason: z.string(),
    actions: z.array(z.string()), workflowId: z.string(),
  })),
  nextCursor: z.string().nullable(),
  counts: z.array(z.looseObject({ process: z.enum(ATTENTION_PROCESSES), status: z.string(), count: z.number() })),
});
