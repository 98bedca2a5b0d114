import type { Pool } from 'pg';

/** The amount change's rows (migration 011): every change of an order's total after authorization and its outcome. */

/** An amount change and its outcome at the provider, kept per order. */
export async function recordAmountChange(pool: Pool, c: { shopId: string; orderId: string; amountJpy: number; outcome: string; detail: string | null }): Promise<void> {
  await pool.query(
    `INSERT INTO order_amount_changes (shop_id, order_id, amount_jpy, outcome, detail) VALUES ($1, $2, $3, $4, $5)`,
    [c.shopId, c.orderId, c.amountJpy, c.outcome, c.detail],
  );
}

export async function listAmountChanges(pool: Pool, shopId: string, orderId: string) {
  const { rows } = await pool.query(
    `SELECT amount_jpy AS "amountJpy", outcome, detail, created_at AS "createdAt" FROM order_amount_changes WHERE shop_id = $1 AND order_id = $2 ORDER BY id`,
    [shopId, orderId],
  );
  return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt).toISOString() })) as Array<{ amountJpy: number; outcome: string; detail: string | null; createdAt: string }>;
}

/** The order's total after the last refund renkei asked Amazon Pay for, if any. */
export async function lastRefundedTotal(pool: Pool, shopId: string, orderId: string): Promise<number | undefined> {
  const { rows } = await pool.query(
    `SELECT amount_jpy FROM order_amount_changes WHERE shop_id = $1 AND order_id = $2 AND outcome = 'refunded' ORDER BY id DESC LIMIT 1`, [shopId, orderId],
  );
  return rows[0]?.amount_jpy;
}
