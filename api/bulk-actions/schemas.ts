import { z, ZodError } from 'zod';
import { BULK_OUTCOMES, BULK_STATUSES } from '../../db/bulk-actions';
import { isOperatorAction, OPERATOR_ACTIONS, OPERATOR_ACTION_NAMES, type OperatorActionDef } from '../../operators/action-catalog';
import { HttpError } from '../http-error';

export const MAX_BULK_ORDERS = 10_000;
const orderNumber = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ or -, at most 64');

/** POST /bulk-actions: one action, its arguments, and the orders (unique, in the order they are to be acted on). */
export const bulkBody = z.object({
  action: z.string().min(1).max(64),
  args: z.unknown().optional(),
  orderIds: z.array(orderNumber).min(1, 'at least one order id').max(MAX_BULK_ORDERS, `at most ${MAX_BULK_ORDERS} order ids`),
}).strict().superRefine((b, ctx) => {
  const first = new Map<string, number>();
  b.orderIds.forEach((id, i) => {
    const j = first.get(id);
    if (j === undefined) first.set(id, i);
    else ctx.addIssue({ code: 'custom', path: ['orderIds', i], message: `duplicate of orderIds.${j}` });
  });
});

/** The action's definition, or 400 naming every action there is. */
export function actionNamed(name: string): OperatorActionDef {
  if (!isOperatorAction(name)) throw new HttpError(400, `unknown action ${name}; one of ${OPERATOR_ACTION_NAMES.join(', ')}`, { field: 'action', actions: OPERATOR_ACTION_NAMES });
  return OPERATOR_ACTIONS[name] as OperatorActionDef;
}

/** The arguments checked up front by the action's own schema: 400 with `args.<field>` and the reason. */
export function checkedArgs(def: OperatorActionDef, args: unknown): unknown {
  const r = def.args.safeParse(args ?? {});
  if (!r.success) throw new ZodError(r.error.issues.map((i) => ({ ...i, path: ['args', ...i.path] })));
  return r.data;
}

/** An optional Idempotency-Key header: a retry with the same key gets the same bulk action, not a twin. */
export const idempotencyKey = z.string().regex(/^[\x21-\x7e]{1,200}$/, 'at most 200 printable ASCII characters').optional();

/** A bulk action's id: anything else is no bulk action of this shop (404). */
export const BULK_ID = /^[0-9a-f]{32}$/;

export const ordersQuery = z.object({
  cursor: z.string().regex(/^\d{1,6}$/, 'the nextCursor of the previous page').optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  outcome: z.enum([...BULK_OUTCOMES, 'pending']).optional(),
});

export const listQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** The list's cursor: base64url of the last bulk action's createdAt and id. */
export const encodeListCursor = (c: { createdAt: string; id: string }): string => Buffer.from(JSON.stringify([c.createdAt, c.id])).toString('base64url');
export function decodeListCursor(v: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(v, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt === 'string' && !Number.isNaN(Date.parse(createdAt)) && typeof id === 'string' && BULK_ID.test(id)) return { createdAt, id };
  } catch {
    // not JSON: answered below
  }
  throw new HttpError(400, 'cursor: not a cursor from this list: pass nextCursor as it was given', { field: 'cursor' });
}

/** The request headers POST /bulk-actions reads. */
export const bulkHeaders = z.object({ 'idempotency-key': idempotencyKey });

export const bulkParams = z.object({ shopId: z.string(), id: z.string().describe('a bulk action id: 32 hex digits (anything else is 404)') });

// --- answers (the OpenAPI document's response schemas) ---

export const bulkCreatedAnswer = z.looseObject({ id: z.string(), total: z.number() });

/** A bulk action as the API shows it (no request hash, no actor's shops). */
export const bulkSummary = z.looseObject({
  id: z.string(), action: z.string(), args: z.unknown(), operator: z.looseObject({ id: z.string(), name: z.string() }),
  status: z.enum(BULK_STATUSES), total: z.number(), done: z.number(), applied: z.number(), refused: z.number(), notFound: z.number(),
  failed: z.number(), canceled: z.number(), createdAt: z.string(), finishedAt: z.string().nullable(),
});
export const bulkListAnswer = z.looseObject({ bulkActions: z.array(bulkSummary), nextCursor: z.string().nullable() });
export const bulkAnswer = bulkSummary.extend({
  orders: z.array(z.looseObject({ orderId: z.string(), outcome: z.enum([...BULK_OUTCOMES]).nullable(), reason: z.string().nullable() })),
  nextCursor: z.string().nullable(),
});
