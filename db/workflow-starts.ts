import type { Pool, PoolClient } from 'pg';
import { ORDER_TABLES, type OrderTable } from './order-tables';

/** A pool or a client in a transaction: what the writes that may share a transaction take. */
export type Queryable = Pick<Pool | PoolClient, 'query'>;

/** Everything needed to start (or signal-with-start) a workflow later, as plain JSON. */
export interface PendingStart {
  workflowId: string;
  shopId: string;
  workflowType: string;
  taskQueue: string;
  args: unknown[];
  /** signal-with-start: the signal delivered with the start (a running workflow gets only the signal) */
  signal?: { name: string; args: unknown[] };
  conflictPolicy?: 'USE_EXISTING';
  reusePolicy?: 'REJECT_DUPLICATE' | 'ALLOW_DUPLICATE_FAILED_ONLY' | 'ALLOW_DUPLICATE';
  searchAttributes: Array<{ name: string; type: string; value: string }>;
  /** The order row this workflow belongs to: the reconciler starts nothing for a row that was never written. */
  row: { table: OrderTable; orderId: string };
}

/**
 * Records the start the API owes, before the order's row is written. `replace`: a repeat carries the latest data
 * (the row is latest-wins too); otherwise the first owed start stays (as first-wins rows do). True when this call
 * created the record, so a caller that then refuses the request can take back only what it wrote.
 */
export async function recordPendingStart(q: Queryable, s: PendingStart, replace: boolean): Promise<boolean> {
  const { rows } = await q.query<{ inserted: boolean }>(
    `INSERT INTO workflow_starts (workflow_id, shop_id, start) VALUES ($1, $2, $3)
     ON CONFLICT (workflow_id) DO ${replace ? 'UPDATE SET start = EXCLUDED.start' : 'NOTHING'}
     RETURNING (xmax = 0) AS inserted`,
    [s.workflowId, s.shopId, JSON.stringify(s)],
  );
  return rows[0]?.inserted ?? false;
}

/** Temporal has the workflow (or had it and it finished): nothing is owed any more. */
export async function clearPendingStart(q: Queryable, workflowId: string): Promise<void> {
  await q.query(`DELETE FROM workflow_starts WHERE workflow_id = $1`, [workflowId]);
}

/**
 * Takes the starts due for a try (older than `graceMs`, so a start the API is making right now is left to it) and
 * pushes their next try back with backoff in the same statement, so two reconcilers do not take the same row at once.
 */
export async function takeDueStarts(pool: Pool, graceMs: number, limit = 100): Promise<Array<{ start: PendingStart; ageMs: number }>> {
  const { rows } = await pool.query<{ start: PendingStart; ageMs: number }>(
    `UPDATE workflow_starts SET attempts = attempts + 1,
            next_try_at = now() + least(interval '1 minute', interval '1 second' * power(2, attempts))
      WHERE workflow_id IN (
        SELECT workflow_id FROM workflow_starts
         WHERE next_try_at <= now() AND created_at <= now() - $1 * interval '1 millisecond'
         ORDER BY next_try_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING start, (extract(epoch FROM now() - created_at) * 1000)::float8 AS "ageMs"`,
    [graceMs, limit],
  );
  return rows;
}

export async function recordStartError(pool: Pool, workflowId: string, error: string): Promise<void> {
  await pool.query(`UPDATE workflow_starts SET last_error = $2 WHERE workflow_id = $1`, [workflowId, error.slice(0, 500)]);
}

export async function countPendingStarts(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM workflow_starts`);
  return Number(rows[0]!.n);
}

/** Whether the order row of an owed start exists (the API writes the owed start first, then the row). */
export async function orderRowExists(q: Queryable, s: PendingStart): Promise<boolean> {
  const t = ORDER_TABLES[s.row.table];
  const { rows } = await q.query(`SELECT 1 FROM ${t.table} WHERE shop_id = $1 AND ${t.key} = $2`, [s.shopId, s.row.orderId]);
  return rows.length > 0;
}
