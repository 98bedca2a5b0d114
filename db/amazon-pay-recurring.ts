import type { Pool } from 'pg';
import type { Queryable } from './workflow-starts';

export interface RecurringParentRow {
  shopId: string;
  parentOrderId: string;
  chargePermissionId: string;
  amountJpy: number;
  intervalUnit: string;
  intervalValue: number;
  status: string;
  expiresAt: string | null;
}

export interface RecurringChildRow {
  cycle: number;
  scheduledAt: string;
  outcome: string;
  amountJpy: number;
  chargeId: string | null;
  chargeState: string | null;
  reason: string | null;
}

/** The parent's row: the new one, or the one already stored for this order; undefined when the charge permission backs another parent. */
export async function insertRecurringParent(pool: Queryable, p: Omit<RecurringParentRow, 'status' | 'expiresAt'>): Promise<RecurringParentRow | undefined> {
  const { rows } = await pool.query<RecurringParentRow>(
    `WITH ins AS (
       INSERT INTO amazon_pay_recurring_parents (shop_id, parent_order_id, charge_permission_id, amount_jpy, interval_unit, interval_value)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING *)
     SELECT shop_id AS "shopId", parent_order_id AS "parentOrderId", charge_permission_id AS "chargePermissionId", amount_jpy AS "amountJpy",
            interval_unit AS "intervalUnit", interval_value AS "intervalValue", status, expires_at AS "expiresAt"
       FROM (SELECT * FROM ins UNION ALL SELECT * FROM amazon_pay_recurring_parents WHERE shop_id = $1 AND parent_order_id = $2) p LIMIT 1`,
    [p.shopId, p.parentOrderId, p.chargePermissionId, p.amountJpy, p.intervalUnit, p.intervalValue],
  );
  return rows[0];
}

const PARENT_COLUMNS = `shop_id AS "shopId", parent_order_id AS "parentOrderId", charge_permission_id AS "chargePermissionId", amount_jpy AS "amountJpy",
  interval_unit AS "intervalUnit", interval_value AS "intervalValue", status, expires_at AS "expiresAt"`;

export async function getRecurringParent(pool: Pool, shopId: string, parentOrderId: string): Promise<RecurringParentRow | undefined> {
  const { rows } = await pool.query<RecurringParentRow>(
    `SELECT ${PARENT_COLUMNS} FROM amazon_pay_recurring_parents WHERE shop_id = $1 AND parent_order_id = $2`, [shopId, parentOrderId],
  );
  return rows[0];
}

export async function findParentByChargePermission(pool: Pool, shopId: string, chargePermissionId: string): Promise<{ parentOrderId: string } | undefined> {
  const { rows } = await pool.query<{ parentOrderId: string }>(
    `SELECT parent_order_id AS "parentOrderId" FROM amazon_pay_recurring_parents WHERE shop_id = $1 AND charge_permission_id = $2`,
    [shopId, chargePermissionId],
  );
  return rows[0];
}

export async function updateRecurringParent(
  pool: Pool,
  p: { shopId: string; parentOrderId: string; status: string; expiresAt: string | null; amountJpy: number; intervalUnit: string; intervalValue: number },
): Promise<void> {
  await pool.query(
    `UPDATE amazon_pay_recurring_parents SET status = $3, expires_at = $4, amount_jpy = $5, interval_unit = $6, interval_value = $7, updated_at = now()
      WHERE shop_id = $1 AND parent_order_id = $2`,
    [p.shopId, p.parentOrderId, p.status, p.expiresAt, p.amountJpy, p.intervalUnit, p.intervalValue],
  );
}

/** One row per cycle: a retried activity overwrites its own row instead of adding a child. */
/**
 * One statement: the child's row and its order data OUT row (event `amazon-pay-recurring.child`, under the parent's
 * order id so a parent's children reach the shop's system in order), once per cycle, outcome and charge state. True
 * when the OUT row is new.
 */
export async function recordRecurringChild(pool: Pool, shopId: string, parentOrderId: string, c: RecurringChildRow): Promise<boolean> {
  const { rows } = await pool.query(
    `WITH child AS (
       INSERT INTO amazon_pay_recurring_children (shop_id, parent_order_id, cycle, scheduled_at, outcome, amount_jpy, charge_id, charge_state, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (shop_id, parent_order_id, cycle) DO UPDATE SET outcome = EXCLUDED.outcome, charge_id = EXCLUDED.charge_id,
         charge_state = EXCLUDED.charge_state, reason = EXCLUDED.reason, recorded_at = now()
       RETURNING *)
     INSERT INTO order_outbox (shop_id, order_id, event, dedupe_key, payload)
     SELECT shop_id, parent_order_id, 'amazon-pay-recurring.child',
       'amazon-pay-recurring.child:' || shop_id || ':' || parent_order_id || ':' || cycle || ':' || outcome || ':' || COALESCE(charge_state, ''),
       jsonb_build_object('parentOrderId', parent_order_id, 'cycle', cycle, 'scheduledAt', scheduled_at, 'outcome', outcome,
         'amount', amount_jpy, 'chargeId', charge_id, 'chargeState', charge_state, 'reason', reason)
     FROM child
     ON CONFLICT (dedupe_key) DO NOTHING
     RETURNING id`,
    [shopId, parentOrderId, c.cycle, c.scheduledAt, c.outcome, c.amountJpy, c.chargeId, c.chargeState, c.reason],
  );
  return rows.length > 0;
}

export async function listRecurringChildren(pool: Pool, shopId: string, parentOrderId: string): Promise<RecurringChildRow[]> {
  const { rows } = await pool.query<RecurringChildRow>(
    `SELECT cycle, scheduled_at AS "scheduledAt", outcome, amount_jpy AS "amountJpy", charge_id AS "chargeId", charge_state AS "chargeState", reason
       FROM amazon_pay_recurring_children WHERE shop_id = $1 AND parent_order_id = $2 ORDER BY cycle`,
    [shopId, parentOrderId],
  );
  return rows;
}

/** A recurring child canceled by the order's cancellation saga: its row shows the charge's new state. */
export async function markChildChargeCanceled(pool: Pool, shopId: string, chargeId: string, reason: string): Promise<void> {
  await pool.query(
    `UPDATE amazon_pay_recurring_children SET outcome = 'canceled', charge_state = 'Canceled', reason = $3 WHERE shop_id = $1 AND charge_id = $2`,
    [shopId, chargeId, reason],
  );
}
