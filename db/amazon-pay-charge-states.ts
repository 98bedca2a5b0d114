import type { Pool } from 'pg';

/** The order data OUT event a charge change after the review writes (#1319: update, then OUT). */
export const CHARGE_STATE_EVENT = 'amazon-pay.charge-state';

export interface ChargeStateUpdate {
  shopId: string;
  orderId: string;
  chargeId: string;
  /** the charge's state as read from Amazon (getCharge), never as told by the IPN, which carries none */
  state: string;
  reasonCode: string | null;
  /** ISO instant of the charge's last state change */
  changedAt: string | null;
}

export interface ChargeStateRecorded {
  /** the order's charge state changed and its order data OUT row was written (false: already recorded) */
  recorded: boolean;
}

/**
 * One statement: the order's charge state (クレジットステータス; on Captured also オーソリ確定日 and 参照番号), then
 * from the updated row its order data OUT row. A state already recorded for the order changes nothing and writes no
 * row, and the dedupe key `amazon-pay.charge-state:<chargeId>:<state>` keeps a repeated read (a redelivered IPN, a
 * retried activity) to one row per charge and state. The payment status (審査完了 …) stays: the review is over.
 */
export async function recordChargeState(pool: Pool, u: ChargeStateUpdate): Promise<ChargeStateRecorded> {
  const { rows } = await pool.query<{ outboxId: string | null }>(
    `WITH updated AS (
       UPDATE amazon_pay_orders SET
         credit_status = $4,
         authorization_fixed_date = CASE WHEN $4 = 'Captured' THEN COALESCE($6::timestamptz, now()) ELSE authorization_fixed_date END,
         reference_number = CASE WHEN $4 = 'Captured' THEN charge_id ELSE reference_number END,
         last_error = CASE WHEN $4 = 'Declined' THEN $5 ELSE last_error END,
         updated_at = now()
       WHERE shop_id = $1 AND order_id = $2 AND charge_id = $3 AND credit_status IS DISTINCT FROM $4
       RETURNING *),
     outbox AS (
       INSERT INTO order_outbox (shop_id, order_id, event, dedupe_key, payload)
       SELECT shop_id, order_id, $7, $7 || ':' || charge_id || ':' || credit_status, jsonb_build_object(
         'orderId', order_id, 'paymentStatus', payment_status, 'authorizationDate', authorization_date,
         'creditStatus', credit_status, 'reasonCode', $5::text, 'authorizationFixedDate', authorization_fixed_date,
         'referenceNumber', reference_number, 'chargeId', charge_id, 'amount', amount_jpy)
       FROM updated
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id::text AS "outboxId")
     SELECT (SELECT "outboxId" FROM outbox) AS "outboxId" FROM updated`,
    [u.shopId, u.orderId, u.chargeId, u.state, u.reasonCode, u.changedAt, CHARGE_STATE_EVENT],
  );
  return { recorded: Boolean(rows[0]?.outboxId) };
}

/**
 * Whether renkei itself is canceling (or has canceled) the order: its cancellation saga marks the order before it
 * asks the provider to cancel, so a Canceled charge the review then reads is renkei's own doing, not "unexpected".
 * An order an operator left (受注 again) or whose provider cancel failed does not count.
 */
export async function isCanceledByRenkei(pool: Pool, shopId: string, orderId: string): Promise<boolean> {
  const { rows } = await pool.query(
    `SELECT 1 FROM order_cancellations WHERE shop_id = $1 AND order_id = $2 AND status IN ('canceling', 'canceled')`,
    [shopId, orderId],
  );
  return rows.length > 0;
}
