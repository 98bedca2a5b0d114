import type { Pool } from 'pg';
import type { Actor } from '../operators/roles';

type Queryable = Pick<Pool, 'query'>;

export const BULK_STATUSES = ['running', 'completed', 'canceled'] as const;
export type BulkStatus = (typeof BULK_STATUSES)[number];
/** What happened to one order of a bulk action; `failed`: an error retries did not clear (its audit row says failed). */
export const BULK_OUTCOMES = ['applied', 'refused', 'not-found', 'failed', 'canceled'] as const;
export type BulkOutcome = (typeof BULK_OUTCOMES)[number];

export interface NewBulkAction {
  id: string;
  shopId: string;
  action: string;
  args: unknown;
  actor: Actor;
  idempotencyKey: string | null;
  requestHash: string;
  orderIds: string[];
}

export interface BulkActionRow {
  id: string;
  shopId: string;
  action: string;
  args: unknown;
  operator: { id: string; name: string };
  status: BulkStatus;
  total: number;
  /** acted on: applied + refused + notFound + failed */
  done: number;
  applied: number;
  refused: number;
  notFound: number;
  failed: number;
  canceled: number;
  requestHash: string;
  actor: Actor;
  createdAt: string;
  finishedAt: string | null;
}

export interface BulkOrderRow {
  position: number;
  orderId: string;
  outcome: BulkOutcome | null;
  reason: string | null;
}

export interface RecordedOutcome {
  position: number;
  outcome: Exclude<BulkOutcome, 'canceled'>;
  reason: string | null;
}

/**
 * The bulk action and all its order ids in one statement (so no half-written bulk action exists). False when the id
 * exists already: a repeat of the same Idempotency-Key.
 */
export async function createBulkAction(db: Queryable, b: NewBulkAction): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>(
    `WITH bulk AS (
       INSERT INTO bulk_actions (id, shop_id, action, args, operator_id, operator, actor, total, idempotency_key, request_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $10, cardinality($7::text[]), $8, $9)
       ON CONFLICT (id) DO NOTHING RETURNING id),
     orders AS (
       INSERT INTO bulk_action_orders (bulk_id, position, order_id)
       SELECT bulk.id, o.position, o.order_id FROM bulk, unnest($7::text[]) WITH ORDINALITY AS o(order_id, position)
       RETURNING 1)
     SELECT (SELECT count(*) FROM bulk)::int AS n`,
    [b.id, b.shopId, b.action, JSON.stringify(b.args ?? {}), b.actor.id, b.actor.name, b.orderIds, b.idempotencyKey, b.requestHash, JSON.stringify(b.actor)],
  );
  return rows[0]!.n === 1;
}

const SUMMARY = `b.id, b.shop_id AS "shopId", b.action, b.args, json_build_object('id', b.operator_id, 'name', b.operator) AS operator,
  b.status, b.total, b.request_hash AS "requestHash", b.actor, b.created_at AS "createdAt", b.finished_at AS "finishedAt",
  c.applied + c.refused + c.not_found + c.failed AS done, c.applied, c.refused, c.not_found AS "notFound", c.failed, c.canceled`;
const COUNTS = `LATERAL (SELECT
    count(*) FILTER (WHERE outcome = 'applied')::int AS applied, count(*) FILTER (WHERE outcome = 'refused')::int AS refused,
    count(*) FILTER (WHERE outcome = 'not-found')::int AS not_found, count(*) FILTER (WHERE outcome = 'failed')::int AS failed,
    count(*) FILTER (WHERE outcome = 'canceled')::int AS canceled
  FROM bulk_action_orders WHERE bulk_id = b.id AND outcome IS NOT NULL) c`;

/** One bulk action of the shop with its counts; undefined for another shop's id. */
export async function getBulkAction(db: Queryable, shopId: string, id: string): Promise<BulkActionRow | undefined> {
  return (await db.query<BulkActionRow>(`SELECT ${SUMMARY} FROM bulk_actions b, ${COUNTS} WHERE b.shop_id = $1 AND b.id = $2`, [shopId, id])).rows[0];
}

/** The shop's bulk actions, newest first; `before`: the createdAt and id of the last one of the previous page. */
export async function listBulkActions(db: Queryable, shopId: string, o: { limit: number; before?: { createdAt: string; id: string } }): Promise<BulkActionRow[]> {
  const { rows } = await db.query<BulkActionRow>(
    `SELECT ${SUMMARY} FROM bulk_actions b, ${COUNTS}
      WHERE b.shop_id = $1 AND ($2::timestamptz IS NULL OR (b.created_at, b.id) < ($2, $3))
      ORDER BY b.created_at DESC, b.id DESC LIMIT $4`,
    [shopId, o.before?.createdAt ?? null, o.before?.id ?? null, o.limit],
  );
  return rows;
}

/** A page of a bulk action's orders in the operator's order; `outcome` 'pending' is an order not acted on yet. */
export async function listBulkOrders(db: Queryable, id: string, o: { afterPosition: number; limit: number; outcome?: BulkOutcome | 'pending' }): Promise<BulkOrderRow[]> {
  const { rows } = await db.query<BulkOrderRow>(
    `SELECT position, order_id AS "orderId", outcome, reason FROM bulk_action_orders
      WHERE bulk_id = $1 AND position > $2
        AND ($3::text IS NULL OR ($3 = 'pending' AND outcome IS NULL) OR outcome = $3)
      ORDER BY position LIMIT $4`,
    [id, o.afterPosition, o.outcome ?? null, o.limit],
  );
  return rows;
}

/** The next orders not acted on yet, after `afterPosition`: what the workflow works through. */
export async function nextUnactedOrders(db: Queryable, id: string, afterPosition: number, limit: number): Promise<Array<{ position: number; orderId: string }>> {
  const { rows } = await db.query<{ position: number; orderId: string }>(
    `SELECT position, order_id AS "orderId" FROM bulk_action_orders
      WHERE bulk_id = $1 AND position > $2 AND outcome IS NULL ORDER BY position LIMIT $3`,
    [id, afterPosition, limit],
  );
  return rows;
}

/** Records a batch of outcomes; an outcome recorded before stays (a retried batch changes nothing). */
export async function recordOutcomes(db: Queryable, id: string, outcomes: RecordedOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  await db.query(
    `UPDATE bulk_action_orders o SET outcome = r.outcome, reason = r.reason, done_at = now()
       FROM unnest($2::int[], $3::text[], $4::text[]) AS r(position, outcome, reason)
      WHERE o.bulk_id = $1 AND o.position = r.position AND o.outcome IS NULL`,
    [id, outcomes.map((o) => o.position), outcomes.map((o) => o.outcome), outcomes.map((o) => o.reason?.slice(0, 1000) ?? null)],
  );
}

/** Ends a running bulk action; canceled: every order not acted on is marked canceled in the same statement. */
export async function finishBulkAction(db: Queryable, id: string, status: Exclude<BulkStatus, 'running'>): Promise<void> {
  await db.query(
    `WITH rest AS (
       UPDATE bulk_action_orders SET outcome = 'canceled', done_at = now()
        WHERE bulk_id = $1 AND outcome IS NULL AND $2 = 'canceled' RETURNING 1)
     UPDATE bulk_actions SET status = $2, finished_at = now() WHERE id = $1 AND status = 'running'`,
    [id, status],
  );
}
