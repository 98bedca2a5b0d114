import type { Pool } from 'pg';
import type { Queryable } from './workflow-starts';
import type { AuthorizationRequest, PaymentStatus } from '../workflows/amazon-pay-review';

export interface AmazonPayOrderRow {
  shopId: string;
  orderId: string;
  chargePermissionId: string;
  chargeId: string | null;
  amountJpy: number;
  paymentStatus: PaymentStatus;
  authorizationDate: string | null;
  creditStatus: string | null;
  authorizationFixedDate: string | null;
  referenceNumber: string | null;
  cancelRequested: boolean;
  lastError: string | null;
  updatedAt: string;
}

const COLUMNS = `shop_id AS "shopId", order_id AS "orderId", charge_permission_id AS "chargePermissionId", charge_id AS "chargeId",
  amount_jpy AS "amountJpy", payment_status AS "paymentStatus", authorization_date AS "authorizationDate",
  credit_status AS "creditStatus", authorization_fixed_date AS "authorizationFixedDate", reference_number AS "referenceNumber",
  cancel_requested AS "cancelRequested", last_error AS "lastError", updated_at AS "updatedAt"`;

/** Registers an order paid with Amazon Pay under async authorization; a repeat keeps the first row. */
export async function insertAuthorizationOrder(pool: Queryable, r: AuthorizationRequest): Promise<AmazonPayOrderRow> {
  const { rows } = await pool.query<AmazonPayOrderRow>(
    `WITH ins AS (
       INSERT INTO amazon_pay_orders (shop_id, order_id, charge_permission_id, amount_jpy) VALUES ($1, $2, $3, $4)
       ON CONFLICT (shop_id, order_id) DO NOTHING RETURNING ${COLUMNS})
     SELECT * FROM ins UNION ALL SELECT ${COLUMNS} FROM amazon_pay_orders WHERE shop_id = $1 AND order_id = $2 LIMIT 1`,
    [r.shopId, r.orderId, r.chargePermissionId, r.amountJpy],
  );
  return rows[0]!;
}

export async function getAmazonPayOrder(pool: Pool, shopId: string, orderId: string): Promise<AmazonPayOrderRow | undefined> {
  const { rows } = await pool.query<AmazonPayOrderRow>(`SELECT ${COLUMNS} FROM amazon_pay_orders WHERE shop_id = $1 AND order_id = $2`, [shopId, orderId]);
  return rows[0];
}

/** The order that owns a charge, for routing an IPN to its workflow. */
export async function findOrderByChargeId(pool: Pool, shopId: string, chargeId: string): Promise<AmazonPayOrderRow | undefined> {
  const { rows } = await pool.query<AmazonPayOrderRow>(`SELECT ${COLUMNS} FROM amazon_pay_orders WHERE shop_id = $1 AND charge_id = $2`, [shopId, chargeId]);
  return rows[0];
}

export interface PaymentUpdate {
  shopId: string;
  orderId: string;
  chargeId?: string;
  paymentStatus: PaymentStatus;
  creditStatus: string;
  authorizationDate?: string | null;
  authorizationFixedDate?: string | null;
  referenceNumber?: string | null;
  cancelRequested?: boolean;
  lastError?: string | null;
  /** write an order data OUT row with the values after this update (#1319) */
  outboxEvent?: string;
  /** list the order in the next review report */
  review?: { outcome: 'OK' | 'ERROR'; message: string | null };
  /** the workflow step making the update: a retried activity writes no second outbox or review row */
  dedupeKey: string;
}

/**
 * One statement: the order's payment fields, then (from the updated row) its order data OUT event and its review
 * result. Atomic without a multi-statement transaction, so it holds over PGlite's multiplexed connections too.
 */
export async function applyPaymentUpdate(pool: Pool, u: PaymentUpdate): Promise<AmazonPayOrderRow> {
  const { rows } = await pool.query<AmazonPayOrderRow>(
    `WITH updated AS (
       UPDATE amazon_pay_orders SET
         charge_id = COALESCE($3, charge_id), payment_status = $4, credit_status = $5,
         authorization_date = COALESCE($6::timestamptz, authorization_date),
         authorization_fixed_date = COALESCE($7::timestamptz, authorization_fixed_date),
         reference_number = COALESCE($8, reference_number), cancel_requested = cancel_requested OR $9,
         last_error = $10, updated_at = now()
       WHERE shop_id = $1 AND order_id = $2
       RETURNING *),
     outbox AS (
       INSERT INTO order_outbox (shop_id, order_id, event, dedupe_key, payload)
       SELECT shop_id, order_id, $11, $14 || ':out', jsonb_build_object(
         'orderId', order_id, 'paymentStatus', payment_status, 'authorizationDate', authorization_date,
         'creditStatus', credit_status, 'authorizationFixedDate', authorization_fixed_date,
         'referenceNumber', reference_number, 'chargeId', charge_id, 'amount', amount_jpy)
       FROM updated WHERE $11::text IS NOT NULL
       ON CONFLICT (dedupe_key) DO NOTHING),
     review AS (
       INSERT INTO amazon_pay_review_results (shop_id, order_id, charge_id, outcome, state, message, dedupe_key)
       SELECT shop_id, order_id, charge_id, $12, credit_status, $13, $14 || ':review' FROM updated WHERE $12::text IS NOT NULL
       ON CONFLICT (dedupe_key) DO NOTHING)
     SELECT ${COLUMNS} FROM updated`,
    [
      u.shopId, u.orderId, u.chargeId ?? null, u.paymentStatus, u.creditStatus, u.authorizationDate ?? null,
      u.authorizationFixedDate ?? null, u.referenceNumber ?? null, u.cancelRequested ?? false, u.lastError ?? null,
      u.outboxEvent ?? null, u.review?.outcome ?? null, u.review?.message ?? null, u.dedupeKey,
    ],
  );
  if (!rows[0]) throw new Error(`amazon pay order ${u.shopId}/${u.orderId} is not registered`);
  return rows[0];
}

export interface ReviewResultRow {
  id: string;
  orderId: string;
  outcome: 'OK' | 'ERROR';
  state: string;
  message: string | null;
}

/** The shop's review results not yet in a report, oldest first. */
export async function listUnreportedReviewResults(pool: Pool, shopId: string): Promise<ReviewResultRow[]> {
  const { rows } = await pool.query<ReviewResultRow>(
    `SELECT id::text AS id, order_id AS "orderId", outcome, state, message FROM amazon_pay_review_results
      WHERE shop_id = $1 AND reported_at IS NULL ORDER BY id`,
    [shopId],
  );
  return rows;
}

/** Marks results reported once their report went out: a failed mail leaves them for the next report. */
export async function markReviewResultsReported(pool: Pool, ids: string[]): Promise<void> {
  if (ids.length) await pool.query(`UPDATE amazon_pay_review_results SET reported_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
}

export async function listOutbox(pool: Pool, shopId: string, orderId: string): Promise<Array<{ event: string; payload: Record<string, unknown> }>> {
  const { rows } = await pool.query(`SELECT event, payload FROM order_outbox WHERE shop_id = $1 AND order_id = $2 ORDER BY id`, [shopId, orderId]);
  return rows as Array<{ event: string; payload: Record<string, unknown> }>;
}

/** A capture on shipment the provider refused: the order shows why; its payment fields stay as they were. */
export async function recordCaptureRefusal(pool: Pool, shopId: string, orderId: string, error: string): Promise<void> {
  await pool.query(`UPDATE amazon_pay_orders SET last_error = $3, updated_at = now() WHERE shop_id = $1 AND order_id = $2`, [shopId, orderId, `売上確定エラー: ${error}`]);
}
