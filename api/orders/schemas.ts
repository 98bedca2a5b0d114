import { z } from 'zod';
import { ATTENTION_PROCESSES } from '../../db/attention';
import { ORDER_LIST_STATUSES, type OrderListCursor } from '../../db/order-lists';

/** Exactly what the list's cursor carries: microseconds, UTC. */
const EXACT_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** The cursor is opaque to callers: base64url of the last row's exact since and order id. */
export const encodeOrderCursor = (c: OrderListCursor): string => Buffer.from(JSON.stringify([c.since, c.orderId])).toString('base64url');

function decodeOrderCursor(v: string): OrderListCursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(v, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((p) => typeof p === 'string')) {
      const [since, orderId] = parsed as [string, string];
      // a real instant, not one the calendar rounds (2026-02-30 would reach the database and fail there)
      if (EXACT_INSTANT.test(since) && !Number.isNaN(Date.parse(since)) && new Date(since).toISOString().slice(0, 19) === since.slice(0, 19)) {
        return { since, orderId };
      }
    }
  } catch {
    // not JSON: answered by the caller
  }
  return undefined;
}

/** Order numbers as every route takes them: a prefix of one is made of the same characters. */
const ORDER_NUMBER = /^[A-Za-z0-9_-]{1,64}$/;
const orderNumber = z.string().regex(ORDER_NUMBER, 'letters, digits, _ or -, at most 64');

const process = z.enum(ATTENTION_PROCESSES, { message: `one of ${ATTENTION_PROCESSES.join(', ')}` });

/** GET /shops/{shopId}/orders: one process's orders; status must be one that process has. */
export const orderListQuery = z.object({
  process,
  status: z.string().min(1).max(64).optional(),
  orderId: orderNumber.optional().describe('order id prefix'),
  cursor: z.string().max(1024).optional().describe('nextCursor of the previous page, as it was given'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
}).transform((q, ctx) => {
  if (q.status !== undefined && !ORDER_LIST_STATUSES[q.process].includes(q.status)) {
    ctx.addIssue({ code: 'custom', path: ['status'], message: `one of ${ORDER_LIST_STATUSES[q.process].join(', ')}` });
  }
  const after = q.cursor === undefined ? undefined : decodeOrderCursor(q.cursor);
  if (q.cursor !== undefined && !after) {
    ctx.addIssue({ code: 'custom', path: ['cursor'], message: 'not a cursor from this list: pass nextCursor as it was given' });
  }
  return { process: q.process, status: q.status, orderIdPrefix: q.orderId, after, limit: q.limit };
});

const fieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const orderListItem = z.object({
  process,
  orderId: z.string(),
  status: z.string(),
  since: z.string().describe('ISO instant the order entered its status'),
  workflowId: z.string(),
  fields: z.record(z.string(), fieldValue).describe('the process\'s own columns (see the console contract)'),
});

export const orderListAnswer = z.object({
  process,
  items: z.array(orderListItem),
  nextCursor: z.string().nullable(),
  counts: z.record(z.string(), z.number().int()).describe('this process\'s orders per status, for the whole shop'),
  statuses: z.array(z.string()).describe('every status this process\'s list can show (the status filter\'s values)'),
});

export const orderParams = z.object({
  shopId: z.string(),
  orderId: orderNumber,
});

export const timelineEvent = z.object({
  at: z.string(),
  process: process.nullable(),
  kind: z.enum(['status', 'call', 'mail', 'order-out', 'operator', 'failure']),
  title: z.string(),
  detail: z.string().nullable(),
  outcome: z.enum(['ok', 'error', 'pending']).nullable(),
  actor: z.string().nullable(),
});

export const timelineProcess = z.object({
  process,
  workflowId: z.string(),
  status: z.string(),
  since: z.string(),
  webUiUrl: z.string(),
});

export const timelineAnswer = z.object({
  shopId: z.string(),
  orderId: z.string(),
  processes: z.array(timelineProcess),
  events: z.array(timelineEvent),
});
