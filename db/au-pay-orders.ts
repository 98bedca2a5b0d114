import type { Pool } from 'pg';
import type { Queryable } from './workflow-starts';
import type { LinkStatus, ShipmentReport } from '../workflows/au-pay-link-status';

/** An order as stored: what the OMS reported, and where its au PAY chain stands. */
export interface AuPayOrderRow extends Omit<ShipmentReport, 'bundledInto' | 'splitFrom'> {
  bundledInto: string | null;
  splitFrom: string | null;
  linkStatus: LinkStatus;
  lastError: string | null;
  /** the link status was set by an operator (seed 004 section 6), not by the chain */
  linkStatusManual: boolean;
  /** what the last 自動注文情報ステータス取得 read at the market; null before the first read */
  marketOrderStatus: string | null;
  marketPaymentStatus: string | null;
  marketCheckedAt: string | null;
  reportedAt: string;
  updatedAt: string;
}

export interface CallHistoryEntry {
  shopId: string;
  orderId: string;
  auPayOrderId: string;
  operation: string;
  result: '成功' | 'エラー';
  httpStatus: number | null;
  errorCode?: string | null;
  errorMessage?: string | null;
  idempotencyKey?: string | null;
  durationMs?: number | null;
}

const ORDER_COLUMNS = `shop_id AS "shopId", order_id AS "orderId", au_pay_order_id AS "auPayOrderId",
  management_class AS "managementClass", to_char(ship_date, 'YYYY-MM-DD') AS "shipDate", carrier,
  tracking_number AS "trackingNumber", bundled_into AS "bundledInto", split_from AS "splitFrom",
  link_status AS "linkStatus", last_error AS "lastError", link_status_manual AS "linkStatusManual",
  market_order_status AS "marketOrderStatus", market_payment_status AS "marketPaymentStatus", market_checked_at AS "marketCheckedAt",
  reported_at AS "reportedAt", updated_at AS "updatedAt"`;

/** Stores what the OMS reported; a repeated report refreshes the shipment data and keeps the link status. */
export async function upsertShipmentReport(pool: Queryable, r: ShipmentReport): Promise<AuPayOrderRow> {
  const { rows } = await pool.query<AuPayOrderRow>(
    `INSERT INTO au_pay_orders (shop_id, order_id, au_pay_order_id, management_class, ship_date, carrier, tracking_number, bundled_into, split_from)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (shop_id, order_id) DO UPDATE SET
       au_pay_order_id = EXCLUDED.au_pay_order_id, management_class = EXCLUDED.management_class, ship_date = EXCLUDED.ship_date,
       carrier = EXCLUDED.carrier, tracking_number = EXCLUDED.tracking_number, bundled_into = EXCLUDED.bundled_into,
       split_from = EXCLUDED.split_from, reported_at = now(), updated_at = now()
     RETURNING ${ORDER_COLUMNS}`,
    [r.shopId, r.orderId, r.auPayOrderId, r.managementClass, r.shipDate, r.carrier, r.trackingNumber, r.bundledInto ?? null, r.splitFrom ?? null],
  );
  return rows[0]!;
}

export async function getAuPayOrder(pool: Queryable, shopId: string, orderId: string): Promise<AuPayOrderRow | undefined> {
  const { rows } = await pool.query<AuPayOrderRow>(`SELECT ${ORDER_COLUMNS} FROM au_pay_orders WHERE shop_id = $1 AND order_id = $2`, [shopId, orderId]);
  return rows[0];
}

/** The order data OUT event every link-status change writes (seed 004 → the OMS moves its own 処理フェーズ). */
export const LINK_STATUS_OUT_EVENT = 'au-pay.link-status';

/**
 * Sets the order's link status and writes its order data OUT row in one statement: the OMS hears of every change,
 * and of none that was not stored. `change.key` names the change (the chain's run, cycle and status): a retried
 * activity writes no second row. The payload carries the shipping data, never the buyer's personal data.
 * True when the OUT row was written now (the caller then wakes the delivery).
 */
export async function setLinkStatus(
  pool: Queryable, shopId: string, orderId: string, status: LinkStatus, lastError: string | null,
  change: { key?: string; manual?: boolean } = {},
): Promise<boolean> {
  const { rows } = await pool.query<{ written: boolean }>(
    `WITH updated AS (
       UPDATE au_pay_orders SET link_status = $3, last_error = $4, link_status_manual = $6, updated_at = now()
        WHERE shop_id = $1 AND order_id = $2
        RETURNING *),
     outbox AS (
       INSERT INTO order_outbox (shop_id, order_id, event, dedupe_key, payload)
       SELECT shop_id, order_id, $7, 'au-pay.link-status:' || shop_id || ':' || COALESCE($5, gen_random_uuid()::text), jsonb_build_object(
         'orderId', order_id, 'auPayOrderId', au_pay_order_id, 'linkStatus', link_status, 'manual', link_status_manual,
         'error', last_error, 'shipDate', to_char(ship_date, 'YYYY-MM-DD'), 'carrier', carrier,
         'trackingNumber', tracking_number, 'at', to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
       FROM updated
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id)
     SELECT EXISTS (SELECT 1 FROM outbox) AS written`,
    [shopId, orderId, status, lastError, change.key ?? null, change.manual ?? false, LINK_STATUS_OUT_EVENT],
  );
  return rows[0]?.written ?? false;
}

/** What 自動注文情報ステータス取得 read at the market (受注ステータス, 決済ステータス); null order status: no such trade. */
export async function recordMarketStatus(pool: Queryable, shopId: string, orderId: string, s: { orderStatus: string | null; paymentStatus: string | null }): Promise<void> {
  await pool.query(
    `UPDATE au_pay_orders SET market_order_status = $3, market_payment_status = $4, market_checked_at = now() WHERE shop_id = $1 AND order_id = $2`,
    [shopId, orderId, s.orderStatus, s.paymentStatus],
  );
}

export async function insertCallHistory(pool: Pool, e: CallHistoryEntry): Promise<void> {
  await pool.query(
    `INSERT INTO au_pay_call_history (shop_id, order_id, au_pay_order_id, operation, result, http_status, error_code, error_message, idempotency_key, duration_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [e.shopId, e.orderId, e.auPayOrderId, e.operation, e.result, e.httpStatus, e.errorCode ?? null, e.errorMessage ?? null, e.idempotencyKey ?? null, e.durationMs ?? null],
  );
}

export interface CallHistoryRow extends CallHistoryEntry {
  id: string;
  calledAt: string;
}

/** The au PAY API連携履歴, newest first, filterable by order and result, paged by id. */
export async function listCallHistory(
  pool: Pool,
  q: { shopId: string; orderId?: string; result?: '成功' | 'エラー'; limit: number; beforeId?: string },
): Promise<CallHistoryRow[]> {
  const { rows } = await pool.query<CallHistoryRow>(
    `SELECT id::text AS id, shop_id AS "shopId", order_id AS "orderId", au_pay_order_id AS "auPayOrderId", operation, result,
            http_status AS "httpStatus", error_code AS "errorCode", error_message AS "errorMessage",
            idempotency_key AS "idempotencyKey", duration_ms AS "durationMs", called_at AS "calledAt"
       FROM au_pay_call_history
      WHERE shop_id = $1 AND ($2::text IS NULL OR order_id = $2) AND ($3::text IS NULL OR result = $3)
        AND ($4::bigint IS NULL OR id < $4::bigint)
      ORDER BY au_pay_call_history.id DESC LIMIT $5`, // the column: the text alias "id" would sort "10" before "9"
    [q.shopId, q.orderId ?? null, q.result ?? null, q.beforeId ?? null, q.limit],
  );
  return rows;
}
