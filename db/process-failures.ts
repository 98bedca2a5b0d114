import type { Pool } from 'pg';
import type { OrderProcess, ProcessFailure } from '../workflows/process-failure';

/** Where a failed process shows on its order's own row, besides its failure record (the row keeps what it had else). */
const ON_ORDER_ROW: Partial<Record<OrderProcess, string>> = {
  amazonPayAuthorizationWorkflow: `UPDATE amazon_pay_orders SET payment_status = '審査エラー', last_error = $3, updated_at = now() WHERE shop_id = $1 AND order_id = $2`,
  amazonPayRecurringWorkflow: `UPDATE amazon_pay_recurring_parents SET status = 'failed', updated_at = now() WHERE shop_id = $1 AND parent_order_id = $2`,
  auPayShipmentWorkflow: `UPDATE au_pay_orders SET last_error = $3, updated_at = now() WHERE shop_id = $1 AND order_id = $2`,
};

export interface FailureRecord {
  process: string;
  reason: string;
  failedAt: string;
}

/** Records the failure and shows it on the order's row, in one statement each way round (a retried activity repeats both harmlessly). */
export async function recordProcessFailure(pool: Pool, f: ProcessFailure & { shopId: string; orderId: string }): Promise<void> {
  const onRow = ON_ORDER_ROW[f.process];
  await pool.query(
    `WITH failure AS (
       INSERT INTO process_failures (workflow_id, shop_id, order_id, process, reason) VALUES ($4, $1, $2, $5, $3)
       ON CONFLICT (workflow_id) DO UPDATE SET reason = EXCLUDED.reason, failed_at = now() RETURNING 1)
     ${onRow ? `, on_row AS (${onRow} RETURNING 1)` : ''}
     SELECT 1 FROM failure`,
    [f.shopId, f.orderId, f.reason.slice(0, 1000), f.workflowId, f.process],
  );
}

export async function getProcessFailure(pool: Pick<Pool, 'query'>, workflowId: string): Promise<FailureRecord | null> {
  const { rows } = await pool.query<FailureRecord>(
    `SELECT process, reason, failed_at AS "failedAt" FROM process_failures WHERE workflow_id = $1`, [workflowId],
  );
  return rows[0] ?? null;
}

/** A new run of the workflow has started: its earlier failure is history. */
export async function clearProcessFailure(pool: Pick<Pool, 'query'>, workflowId: string): Promise<void> {
  await pool.query(`DELETE FROM process_failures WHERE workflow_id = $1`, [workflowId]);
}
