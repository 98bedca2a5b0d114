import type { Pool } from 'pg';
import type { Queryable } from './workflow-starts';
import type { FraudReviewOrder } from '../workflows/oplux-fraud-review-messages';
import type { FraudStatus, ProcessingResult, RelinkKind } from '../workflows/oplux-review-rules';

/** An order's O-PLUX fields as stored: the seed's twelve, then the review's own state. */
export interface OpluxOrderRow {
  shopId: string;
  orderId: string;
  eventId: string | null;
  paymentStatus: string | null;
  reviewResult: string | null;
  manualResult: string | null;
  manualMemo: string | null;
  blackFlag: string | null;
  processingResult: ProcessingResult | null;
  browserInfo: string | null;
  ipAddress: string | null;
  ruleDescription: string | null;
  errorMessage: string | null;
  relinkKind: RelinkKind | null;
  status: FraudStatus;
  modelId: string | null;
  orderOutControl: string | null;
  registerAttempts: number;
  releasedAt: string | null;
  order: FraudReviewOrder;
  updatedAt: string;
}

const COLUMNS = `shop_id AS "shopId", order_id AS "orderId", event_id AS "eventId", payment_status AS "paymentStatus",
  review_result AS "reviewResult", manual_result AS "manualResult", manual_memo AS "manualMemo", black_flag AS "blackFlag",
  processing_result AS "processingResult", browser_info AS "browserInfo", ip_address AS "ipAddress",
  rule_description AS "ruleDescription", error_message AS "errorMessage", relink_kind AS "relinkKind", status,
  model_id AS "modelId", order_out_control AS "orderOutControl", register_attempts AS "registerAttempts",
  released_at AS "releasedAt", order_data AS "order", updated_at AS "updatedAt"`;

/** Stores a completed order for review (ブラウザ情報 and IPアドレス from the start); a repeat keeps the first row. */
export async function insertOpluxOrder(pool: Queryable, o: FraudReviewOrder): Promise<OpluxOrderRow> {
  const { rows } = await pool.query<OpluxOrderRow>(
    `WITH ins AS (
       INSERT INTO oplux_orders (shop_id, order_id, browser_info, ip_address, order_data) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (shop_id, order_id) DO NOTHING RETURNING ${COLUMNS})
     SELECT * FROM ins UNION ALL SELECT ${COLUMNS} FROM oplux_orders WHERE shop_id = $1 AND order_id = $2 LIMIT 1`,
    [o.shopId, o.orderId, o.deviceInfo, o.ipAddress, JSON.stringify(o)],
  );
  return rows[0]!;
}

export async function getOpluxOrder(pool: Pool, shopId: string, orderId: string): Promise<OpluxOrderRow | undefined> {
  const { rows } = await pool.query<OpluxOrderRow>(`SELECT ${COLUMNS} FROM oplux_orders WHERE shop_id = $1 AND order_id = $2`, [shopId, orderId]);
  return rows[0];
}

/**
 * Before a registration: the event already stored for the order (a retried activity after the answer was saved), or
 * else counts this attempt and says how many came before (any: O-PLUX may hold an event we never heard of).
 */
export async function beginRegistration(pool: Pool, shopId: string, orderId: string): Promise<{ stored: OpluxOrderRow | null; earlierAttempts: number }> {
  const { rows } = await pool.query<OpluxOrderRow & { earlier: number }>(
    `UPDATE oplux_orders SET register_attempts = register_attempts + CASE WHEN event_id IS NULL THEN 1 ELSE 0 END
      WHERE shop_id = $1 AND order_id = $2
      RETURNING ${COLUMNS}, register_attempts - CASE WHEN event_id IS NULL THEN 1 ELSE 0 END AS earlier`,
    [shopId, orderId],
  );
  const row = rows[0];
  if (!row) throw new Error(`O-PLUX order ${shopId}/${orderId} is not registered`);
  return { stored: row.eventId ? row : null, earlierAttempts: Number(row.earlier) };
}

/** The event O-PLUX just created for the order, kept before anything else happens. */
export async function storeEvent(pool: Pool, e: { shopId: string; orderId: string; eventId: string; review: string; ruleDescription: string | null; paymentStatus: string }): Promise<void> {
  await pool.query(
    `UPDATE oplux_orders SET event_id = $3, review_result = $4, rule_description = $5, payment_status = $6, updated_at = now()
      WHERE shop_id = $1 AND order_id = $2 AND event_id IS NULL`,
    [e.shopId, e.orderId, e.eventId, e.review, e.ruleDescription, e.paymentStatus],
  );
}

export interface OpluxOrderUpdate {
  shopId: string;
  orderId: string;
  status: FraudStatus;
  processingResult: ProcessingResult;
  eventId?: string;
  paymentStatus?: string;
  reviewResult?: string;
  ruleDescription?: string | null;
  manualResult?: string;
  manualMemo?: string | null;
  blackFlag?: string;
  modelId?: string;
  orderOutControl?: string;
  /** cleared (null) by every update that succeeded */
  errorMessage: string | null;
  relinkKind: RelinkKind | null;
  /** write the order data OUT now (受注OUT制御 lets the order go); once per order */
  release: boolean;
  /** the order's one release: a retried activity or a second release adds no OUT row */
  releaseKey: string;
}

/**
 * One statement: the order's O-PLUX fields, then (from the updated row) its order data OUT event when the update
 * releases the order. Atomic without a multi-statement transaction, so it holds over PGlite's multiplexed connections.
 */
export async function applyOpluxUpdate(pool: Pool, u: OpluxOrderUpdate): Promise<OpluxOrderRow> {
  const { rows } = await pool.query<OpluxOrderRow>(
    `WITH updated AS (
       UPDATE oplux_orders SET
         status = $3, processing_result = $4, event_id = COALESCE($5, event_id), payment_status = COALESCE($6, payment_status),
         review_result = COALESCE($7, review_result),
         rule_description = CASE WHEN $8::boolean THEN $9 ELSE rule_description END,
         manual_result = COALESCE($10, manual_result),
         manual_memo = CASE WHEN $11::boolean THEN $12 ELSE manual_memo END,
         black_flag = COALESCE($13, black_flag), model_id = COALESCE($14, model_id), order_out_control = COALESCE($15, order_out_control),
         error_message = $16, relink_kind = $17,
         released_at = CASE WHEN $18::boolean THEN COALESCE(released_at, now()) ELSE released_at END,
         updated_at = now()
       WHERE shop_id = $1 AND order_id = $2
       RETURNING *),
     outbox AS (
       INSERT INTO order_outbox (shop_id, order_id, event, dedupe_key, payload)
       SELECT shop_id, order_id, 'oplux.released', $19, jsonb_build_object(
         'orderId', order_id, 'fraudReviewStatus', status, 'opluxEventId', event_id, 'opluxPaymentStatus', payment_status,
         'opluxReviewResult', review_result, 'manualReviewResult', manual_result, 'manualReviewMemo', manual_memo,
         'opluxBlackFlag', black_flag, 'opluxProcessingResult', processing_result, 'browserInfo', browser_info,
         'ipAddress', ip_address, 'opluxRuleDescription', rule_description, 'opluxErrorMessage', error_message,
         'relinkKind', relink_kind, 'amount', order_data->'amountJpy', 'paymentMethodId', order_data->'paymentMethodId')
       FROM updated WHERE $18::boolean
       ON CONFLICT (dedupe_key) DO NOTHING)
     SELECT ${COLUMNS} FROM updated`,
    [
      u.shopId, u.orderId, u.status, u.processingResult, u.eventId ?? null, u.paymentStatus ?? null, u.reviewResult ?? null,
      u.ruleDescription !== undefined, u.ruleDescription ?? null, u.manualResult ?? null,
      u.manualMemo !== undefined, u.manualMemo ?? null, u.blackFlag ?? null, u.modelId ?? null, u.orderOutControl ?? null,
      u.errorMessage, u.relinkKind, u.release, u.releaseKey,
    ],
  );
  if (!rows[0]) throw new Error(`O-PLUX order ${u.shopId}/${u.orderId} is not registered`);
  return rows[0];
}

/** The order's order data OUT events written by the fraud review. */
export async function listOpluxOutbox(pool: Pool, shopId: string, orderId: string): Promise<Array<{ event: string; payload: Record<string, unknown> }>> {
  const { rows } = await pool.query(`SELECT event, payload FROM order_outbox WHERE shop_id = $1 AND order_id = $2 AND event LIKE 'oplux.%' ORDER BY id`, [shopId, orderId]);
  return rows as Array<{ event: string; payload: Record<string, unknown> }>;
}

/**
 * A re-report's corrected data replaces the order while its registration stands at 審査エラー: the next registration
 * sends it. Only before an event exists (a registered event keeps the data it was reviewed with).
 */
export async function replaceOpluxOrderData(pool: Pool, o: FraudReviewOrder): Promise<void> {
  await pool.query(
    `UPDATE oplux_orders SET order_data = $3, browser_info = $4, ip_address = $5, updated_at = now()
      WHERE shop_id = $1 AND order_id = $2 AND event_id IS NULL`,
    [o.shopId, o.orderId, JSON.stringify(o), o.deviceInfo, o.ipAddress],
  );
}

/** What a change sent after the review workflow ended leaves on the order (opluxEventUpdateWorkflow). */
export interface OpluxChangeRecord {
  shopId: string;
  orderId: string;
  processingResult: ProcessingResult;
  errorMessage: string | null;
  /** a corrected 目視審査 moves the status; a black flag or a payment outcome leaves it (a cancellation: キャンセル) */
  status?: FraudStatus;
  manualResult?: string;
  manualMemo?: string | null;
  blackFlag?: string;
  paymentStatus?: string;
}

/** The fields a change after the review changed; on failure (更新エラー) only the processing result and message. */
export async function recordEventChange(pool: Pool, c: OpluxChangeRecord): Promise<void> {
  await pool.query(
    `UPDATE oplux_orders SET processing_result = $3, error_message = $4, status = COALESCE($5, status),
       manual_result = COALESCE($6, manual_result), manual_memo = CASE WHEN $7::boolean THEN $8 ELSE manual_memo END,
       black_flag = COALESCE($9, black_flag), payment_status = COALESCE($10, payment_status), updated_at = now()
     WHERE shop_id = $1 AND order_id = $2`,
    [c.shopId, c.orderId, c.processingResult, c.errorMessage, c.status ?? null, c.manualResult ?? null,
      c.manualMemo !== undefined, c.manualMemo ?? null, c.blackFlag ?? null, c.paymentStatus ?? null],
  );
}
