import type { Pool } from 'pg';

export interface OutboxRow {
  id: string;
  shopId: string;
  orderId: string;
  event: string;
  payload: Record<string, unknown>;
  /** held: the order's O-PLUX review holds it back (受注OUT制御); withheld: never sent, the review's final NG */
  status: 'pending' | 'delivered' | 'failed' | 'held' | 'withheld';
  attempts: number;
  createdAt: string;
  /** the workflow told when the row is delivered or failed (the cancellation saga of its own row) */
  watchedBy: string | null;
}

const row = (r: Record<string, unknown>): OutboxRow => ({
  id: String(r.id), shopId: r.shop_id as string, orderId: r.order_id as string, event: r.event as string,
  payload: r.payload as Record<string, unknown>, status: r.status as OutboxRow['status'], attempts: r.attempts as number,
  createdAt: new Date(r.created_at as string).toISOString(), watchedBy: (r.watched_by as string | null) ?? null,
});

/**
 * The order's oldest row not yet delivered. A failed one comes back too: nothing later may overtake it until an
 * operator redelivers it. Rows the O-PLUX review holds back (or withheld) are not sent: see settleOpluxHold.
 */
export async function nextUndelivered(pool: Pool, shopId: string, orderId: string): Promise<OutboxRow | undefined> {
  const { rows } = await pool.query(
    `SELECT * FROM order_outbox WHERE shop_id = $1 AND order_id = $2 AND status IN ('pending', 'failed') ORDER BY id LIMIT 1`, [shopId, orderId],
  );
  return rows[0] ? row(rows[0]) : undefined;
}

export async function getOutboxRow(pool: Pool, id: string): Promise<OutboxRow | undefined> {
  const { rows } = await pool.query(`SELECT * FROM order_outbox WHERE id = $1`, [id]);
  return rows[0] ? row(rows[0]) : undefined;
}

/** A row with the shop's chosen fields, read together: one query per delivery, and a field change applies at once. */
export async function getOutboxDelivery(pool: Pool, id: string): Promise<(OutboxRow & { fields: string[] | null }) | undefined> {
  const { rows } = await pool.query(
    `SELECT o.*, s.fields FROM order_outbox o LEFT JOIN order_out_settings s ON s.shop_id = o.shop_id WHERE o.id = $1`, [id],
  );
  return rows[0] ? { ...row(rows[0]), fields: rows[0].fields ?? null } : undefined;
}

export async function recordAttempt(
  pool: Pool, a: { outboxId: string; at: Date; httpStatus: number | null; responseExcerpt: string | null; error: string | null; durationMs: number },
): Promise<void> {
  await pool.query(
    `WITH bump AS (UPDATE order_outbox SET attempts = attempts + 1, last_error = $5 WHERE id = $1)
     INSERT INTO order_out_attempts (outbox_id, attempted_at, http_status, response_excerpt, error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6)`,
    [a.outboxId, a.at, a.httpStatus, a.responseExcerpt, a.error, a.durationMs],
  );
}

/** A successful attempt, recorded and the row marked delivered in one statement. */
export async function recordDelivered(
  pool: Pool, a: { outboxId: string; at: Date; httpStatus: number | null; responseExcerpt: string | null; durationMs: number },
): Promise<void> {
  await pool.query(
    `WITH done AS (UPDATE order_outbox SET attempts = attempts + 1, status = 'delivered', delivered_at = $2, last_error = NULL WHERE id = $1)
     INSERT INTO order_out_attempts (outbox_id, attempted_at, http_status, response_excerpt, error, duration_ms) VALUES ($1, $2, $3, $4, NULL, $5)`,
    [a.outboxId, a.at, a.httpStatus, a.responseExcerpt, a.durationMs],
  );
}


export async function markFailed(pool: Pool, id: string, error: string): Promise<void> {
  await pool.query(`UPDATE order_outbox SET status = 'failed', last_error = $2 WHERE id = $1 AND status <> 'delivered'`, [id, error]);
}

/** An operator's redelivery: a failed row is pending again. Returns the row, or undefined when it was not failed. */
export async function reopenFailed(pool: Pool, shopId: string, id: string): Promise<OutboxRow | undefined> {
  const { rows } = await pool.query(
    `UPDATE order_outbox SET status = 'pending', dispatched_at = now() WHERE shop_id = $1 AND id = $2 AND status = 'failed' RETURNING *`, [shopId, id],
  );
  return rows[0] ? row(rows[0]) : undefined;
}

export async function getDelivery(pool: Pick<Pool, 'query'>, shopId: string, id: string): Promise<OutboxRow | undefined> {
  const { rows } = await pool.query(`SELECT * FROM order_outbox WHERE shop_id = $1 AND id = $2`, [shopId, id]);
  return rows[0] ? row(rows[0]) : undefined;
}

/** Every failed row of one order made pending again (an operator's redelivery of the order). */
export async function reopenFailedOfOrder(pool: Pick<Pool, 'query'>, shopId: string, orderId: string): Promise<OutboxRow[]> {
  const { rows } = await pool.query(
    `UPDATE order_outbox SET status = 'pending', dispatched_at = now() WHERE shop_id = $1 AND order_id = $2 AND status = 'failed' RETURNING *`, [shopId, orderId],
  );
  return rows.map(row);
}

/**
 * O-PLUX受注OUT制御 for the whole order, whichever process wrote its rows: while the order's review holds it (a
 * controlling mode and, as outHeldBack says, not yet reviewed, 審査エラー, an auto NG, an auto REVIEW in the stricter
 * mode, a 目視審査HOLD) its rows are held; after a final NG (目視審査NG, or a correction to NG) withheld; otherwise
 * (OK, 対象外, canceled, 制御しない, no review) they are pending again and go out in order. One statement that
 * locks the order's review row, so a release cannot slip between the check and the marking. Returns the rows made
 * pending (the caller wakes the delivery).
 */
export async function settleOpluxHold(pool: Pick<Pool, 'query'>, shopId: string, orderId: string): Promise<number> {
  const { rows } = await pool.query(
    `WITH review AS (
       SELECT CASE
           WHEN x.status IN ('OK', '対象外', 'キャンセル') THEN NULL
           WHEN x.status = 'NG' THEN 'withheld'
           WHEN x.manual_result = '10' THEN NULL
           WHEN x.manual_result IN ('20', '30') THEN 'held'
           WHEN x.review_result IS NULL OR x.review_result = 'NG' THEN 'held'
           WHEN x.review_result = 'REVIEW' AND x.order_out_control = 'ng-review-hold' THEN 'held'
         END AS hold
         FROM oplux_orders x WHERE x.shop_id = $1 AND x.order_id = $2 AND coalesce(x.order_out_control, '') <> 'none' FOR UPDATE),
     verdict AS (SELECT coalesce((SELECT hold FROM review), 'pending') AS status)
     UPDATE order_outbox b SET status = v.status, dispatched_at = CASE WHEN v.status = 'pending' THEN NULL ELSE b.dispatched_at END
       FROM verdict v
      WHERE b.shop_id = $1 AND b.order_id = $2 AND b.status IN ('pending', 'held', 'withheld') AND b.status <> v.status
      RETURNING b.status`,
    [shopId, orderId],
  );
  return rows.filter((r) => r.status === 'pending').length;
}

/** The order's order data OUT as one status: failed when a row failed, else pending or delivered; undefined without rows. */
export async function orderOutStatusOf(pool: Pick<Pool, 'query'>, shopId: string, orderId: string): Promise<OutboxRow['status'] | undefined> {
  const { rows } = await pool.query<{ status: OutboxRow['status'] }>(
    `SELECT status FROM order_outbox WHERE shop_id = $1 AND order_id = $2
      ORDER BY CASE status WHEN 'failed' THEN 0 WHEN 'held' THEN 1 WHEN 'pending' THEN 2 WHEN 'withheld' THEN 3 ELSE 4 END LIMIT 1`, [shopId, orderId],
  );
  return rows[0]?.status;
}

/**
 * Orders with rows a delivery workflow has not been told about, or was told about long ago and has not delivered
 * (a lost wake-up): claimed by stamping dispatched_at, so several dispatchers share the work.
 */
export async function claimUndispatched(pool: Pool, o: { shops: readonly string[]; staleAfterSeconds: number; limit: number }): Promise<Array<{ shopId: string; orderId: string }>> {
  if (o.shops.length === 0) return [];
  const { rows } = await pool.query(
    `WITH due AS (
       SELECT id FROM order_outbox
       WHERE status = 'pending' AND shop_id = ANY($1)
         AND (dispatched_at IS NULL OR dispatched_at < now() - make_interval(secs => $2))
       ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED
     )
     UPDATE order_outbox o SET dispatched_at = now() FROM due WHERE o.id = due.id
     RETURNING o.shop_id, o.order_id`,
    [o.shops, o.staleAfterSeconds, o.limit],
  );
  const seen = new Map<string, { shopId: string; orderId: string }>();
  for (const r of rows) seen.set(`${r.shop_id}\u0000${r.order_id}`, { shopId: r.shop_id, orderId: r.order_id });
  return [...seen.values()];
}

export interface DeliveryView extends OutboxRow {
  lastError: string | null;
  deliveredAt: string | null;
  attemptLog: Array<{ at: string; httpStatus: number | null; responseExcerpt: string | null; error: string | null; durationMs: number }>;
}

export async function listDeliveries(pool: Pool, shopId: string, o: { orderId?: string; status?: string; limit: number }): Promise<DeliveryView[]> {
  const { rows } = await pool.query(
    `SELECT o.*, coalesce((SELECT json_agg(json_build_object('at', a.attempted_at, 'httpStatus', a.http_status, 'responseExcerpt', a.response_excerpt,
               'error', a.error, 'durationMs', a.duration_ms) ORDER BY a.id) FROM order_out_attempts a WHERE a.outbox_id = o.id), '[]') AS attempt_log
     FROM order_outbox o WHERE shop_id = $1 AND ($2::text IS NULL OR order_id = $2) AND ($3::text IS NULL OR status = $3)
     ORDER BY id DESC LIMIT $4`,
    [shopId, o.orderId ?? null, o.status ?? null, o.limit],
  );
  return rows.map((r) => ({
    ...row(r), lastError: r.last_error, deliveredAt: r.delivered_at ? new Date(r.delivered_at).toISOString() : null,
    attemptLog: (r.attempt_log as DeliveryView['attemptLog']).map((a) => ({ ...a, at: new Date(a.at).toISOString() })),
  }));
}

export async function getOrderOutFields(pool: Pool, shopId: string): Promise<string[] | null> {
  const { rows } = await pool.query(`SELECT fields FROM order_out_settings WHERE shop_id = $1`, [shopId]);
  return rows[0]?.fields ?? null;
}

export async function setOrderOutFields(pool: Pool, shopId: string, fields: string[] | null): Promise<void> {
  await pool.query(
    `INSERT INTO order_out_settings (shop_id, fields) VALUES ($1, $2) ON CONFLICT (shop_id) DO UPDATE SET fields = EXCLUDED.fields`, [shopId, fields],
  );
}
