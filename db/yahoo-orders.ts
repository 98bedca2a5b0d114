import type { Pool } from 'pg';

export interface YahooWindowRow {
  shopId: string;
  orderId: string;
  windowStatus: string;
  deadline: string;
  deadlineSource: 'api' | 'local';
  orderStatus: string | null;
  settleStatus: string | null;
  payMethod: string | null;
  shipStatus: string | null;
  payMethodChangeDoneAt: string | null;
  decision: string | null;
  decidedBy: string | null;
  lastError: string | null;
  updatedAt: string;
}

const COLUMNS = `shop_id AS "shopId", order_id AS "orderId", window_status AS "windowStatus", deadline, deadline_source AS "deadlineSource",
  order_status AS "orderStatus", settle_status AS "settleStatus", pay_method AS "payMethod", ship_status AS "shipStatus",
  pay_method_change_done_at AS "payMethodChangeDoneAt", decision, decided_by AS "decidedBy", last_error AS "lastError", updated_at AS "updatedAt"`;

const iso = (v: unknown): string | null => (v instanceof Date ? v.toISOString() : typeof v === 'string' ? new Date(v).toISOString() : null);
const normalize = (r: YahooWindowRow): YahooWindowRow => ({
  ...r, deadline: iso(r.deadline)!, payMethodChangeDoneAt: iso(r.payMethodChangeDoneAt), updatedAt: iso(r.updatedAt)!,
});

export interface WindowUpdate {
  shopId: string;
  orderId: string;
  windowStatus: string;
  deadline: string;
  deadlineSource: 'api' | 'local';
  orderStatus?: string | null;
  settleStatus?: string | null;
  payMethod?: string | null;
  shipStatus?: string | null;
  payMethodChangeDoneAt?: string | null;
  decision?: string | null;
  decidedBy?: string | null;
  lastError?: string | null;
  /** write an order data OUT row with the values after this update */
  outboxEvent?: string;
  /** the workflow step making the update: a retried activity writes no second outbox row */
  dedupeKey: string;
}

/**
 * One statement: the window row (created on the first update), then, from the row as updated, its order data OUT event.
 * Atomic without a multi-statement transaction, so it holds over PGlite's multiplexed connections too.
 */
export async function applyWindowUpdate(pool: Pool, u: WindowUpdate): Promise<YahooWindowRow> {
  const { rows } = await pool.query<YahooWindowRow>(
    `WITH updated AS (
       INSERT INTO yahoo_pay_method_windows AS w (shop_id, order_id, window_status, deadline, deadline_source, order_status, settle_status,
         pay_method, ship_status, pay_method_change_done_at, decision, decided_by, last_error)
       VALUES ($1, $2, $3, $4::timestamptz, $5, $6, $7, $8, $9, $10::timestamptz, $11, $12, $13)
       ON CONFLICT (shop_id, order_id) DO UPDATE SET
         window_status = EXCLUDED.window_status, deadline = EXCLUDED.deadline, deadline_source = EXCLUDED.deadline_source,
         order_status = COALESCE(EXCLUDED.order_status, w.order_status), settle_status = COALESCE(EXCLUDED.settle_status, w.settle_status),
         pay_method = COALESCE(EXCLUDED.pay_method, w.pay_method), ship_status = COALESCE(EXCLUDED.ship_status, w.ship_status),
         pay_method_change_done_at = COALESCE(EXCLUDED.pay_method_change_done_at, w.pay_method_change_done_at),
         decision = COALESCE(EXCLUDED.decision, w.decision), decided_by = COALESCE(EXCLUDED.decided_by, w.decided_by),
         last_error = EXCLUDED.last_error, updated_at = now()
       RETURNING *),
     outbox AS (
       INSERT INTO order_outbox (shop_id, order_id, event, dedupe_key, payload)
       SELECT shop_id, order_id, $14, $15 || ':out', jsonb_build_object(
         'orderId', order_id, 'windowStatus', window_status, 'payMethodChangeDeadline', deadline,
         'orderStatus', order_status, 'settleStatus', settle_status, 'payMethod', pay_method, 'shipStatus', ship_status,
         'payMethodChangeDoneDate', pay_method_change_done_at, 'decision', decision)
       FROM updated WHERE $14::text IS NOT NULL
       ON CONFLICT (dedupe_key) DO NOTHING)
     SELECT ${COLUMNS} FROM updated`,
    [
      u.shopId, u.orderId, u.windowStatus, u.deadline, u.deadlineSource, u.orderStatus ?? null, u.settleStatus ?? null,
      u.payMethod ?? null, u.shipStatus ?? null, u.payMethodChangeDoneAt ?? null, u.decision ?? null, u.decidedBy ?? null,
      u.lastError ?? null, u.outboxEvent ?? null, u.dedupeKey,
    ],
  );
  return normalize(rows[0]!);
}

export async function getWindow(pool: Pool, shopId: string, orderId: string): Promise<YahooWindowRow | undefined> {
  const { rows } = await pool.query<YahooWindowRow>(`SELECT ${COLUMNS} FROM yahoo_pay_method_windows WHERE shop_id = $1 AND order_id = $2`, [shopId, orderId]);
  return rows[0] && normalize(rows[0]);
}

/** The window status of each of these orders that has a row: the sweep leaves known orders alone. */
export async function windowStatuses(pool: Pool, shopId: string, orderIds: string[]): Promise<Map<string, string>> {
  if (!orderIds.length) return new Map();
  const { rows } = await pool.query<{ orderId: string; windowStatus: string }>(
    `SELECT order_id AS "orderId", window_status AS "windowStatus" FROM yahoo_pay_method_windows WHERE shop_id = $1 AND order_id = ANY($2::text[])`,
    [shopId, orderIds],
  );
  return new Map(rows.map((r) => [r.orderId, r.windowStatus]));
}

/** The shop's windows in one status, soonest deadline first (what an operator works through). */
export async function listWindows(pool: Pool, shopId: string, status: string | undefined, limit: number): Promise<YahooWindowRow[]> {
  const { rows } = await pool.query<YahooWindowRow>(
    `SELECT ${COLUMNS} FROM yahoo_pay_method_windows WHERE shop_id = $1 AND ($2::text IS NULL OR window_status = $2) ORDER BY deadline, order_id LIMIT $3`,
    [shopId, status ?? null, limit],
  );
  return rows.map(normalize);
}
