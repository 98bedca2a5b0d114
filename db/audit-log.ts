import type { Pool } from 'pg';

type Queryable = Pick<Pool, 'query'>;

export type AuditOutcome = 'pending' | 'applied' | 'refused' | 'failed';

export interface AuditEntry {
  operatorId: string;
  operator: string;
  shopId: string | null;
  process: string | null;
  orderId: string | null;
  action: string;
  input: unknown;
  bulkId?: string | null;
}

export interface AuditRow extends Required<AuditEntry> {
  id: string;
  at: string;
  outcome: AuditOutcome;
  reason: string | null;
  /** the refusal's HTTP status (409, 404, …); null when applied or failed */
  httpStatus: number | null;
  finishedAt: string | null;
}

const ROW = `id::text, at, operator_id AS "operatorId", operator, shop_id AS "shopId", process, order_id AS "orderId", action,
  input, outcome, reason, http_status AS "httpStatus", bulk_id AS "bulkId", finished_at AS "finishedAt"`;

/** The row written before the effect; its outcome follows with finishAudit. */
export async function insertAudit(db: Queryable, e: AuditEntry): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO audit_log (operator_id, operator, shop_id, process, order_id, action, input, bulk_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id::text`,
    [e.operatorId, e.operator, e.shopId, e.process, e.orderId, e.action, e.input === undefined ? null : JSON.stringify(e.input), e.bulkId ?? null],
  );
  return rows[0]!.id;
}

export async function finishAudit(db: Queryable, id: string, outcome: Exclude<AuditOutcome, 'pending'>, reason: string | null, httpStatus: number | null = null): Promise<void> {
  await db.query(`UPDATE audit_log SET outcome = $2, reason = $3, http_status = $4, finished_at = now() WHERE id = $1`, [id, outcome, reason?.slice(0, 1000) ?? null, httpStatus]);
}

export interface AuditFilter {
  /** one shop's rows; absent: every row, deployment-wide changes (operators, tokens) included */
  shopId?: string;
  orderId?: string;
  operator?: string;
  action?: string;
  since?: string;
  until?: string;
  /** the id of the last row of the previous page */
  beforeId?: string;
  limit: number;
}

/** Newest first. `operator` matches the operator's name or id. */
export async function listAudit(db: Queryable, f: AuditFilter): Promise<AuditRow[]> {
  const { rows } = await db.query<AuditRow>(
    `SELECT ${ROW} FROM audit_log
      WHERE ($1::text IS NULL OR shop_id = $1)
        AND ($2::text IS NULL OR order_id = $2)
        AND ($3::text IS NULL OR operator = $3 OR operator_id = $3)
        AND ($4::text IS NULL OR action = $4)
        AND ($5::timestamptz IS NULL OR at >= $5)
        AND ($6::timestamptz IS NULL OR at < $6)
        AND ($7::bigint IS NULL OR id < $7)
      ORDER BY id DESC LIMIT $8`,
    [f.shopId ?? null, f.orderId ?? null, f.operator ?? null, f.action ?? null, f.since ?? null, f.until ?? null, f.beforeId ?? null, f.limit],
  );
  return rows;
}

/** The audit rows of one bulk action's order (at most one per order unless a retry found none to reuse). */
export async function auditOfBulkOrder(db: Queryable, bulkId: string, orderId: string): Promise<AuditRow | undefined> {
  return (await db.query<AuditRow>(`SELECT ${ROW} FROM audit_log WHERE bulk_id = $1 AND order_id = $2 ORDER BY id LIMIT 1`, [bulkId, orderId])).rows[0];
}
