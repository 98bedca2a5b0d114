import type { Pool } from 'pg';
import type { Queryable } from './workflow-starts';
import type { LinkStatus, ShipmentReport } from '../workflows/au-pay-link-status';

/** An order as stored: what the OMS reported, and where its au PAY chain stands. */
export interface AuPayOrderRow extends Omit<ShipmentReport, 'bundledInto' | 'splitFrom'> {
  bundledInto: string | null;
  splitFrom: string | null;
  linkStatus: LinkStatus;
  lastError: string | null;
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
  link_status AS "linkStatus", last_error AS "lastError", reported_at AS "reportedAt", updated_at AS "updatedAt"`;

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

export async function setLinkStatus(pool: Pool, shopId: string, orderId: string, status: LinkStatus, lastError: string | null): Promise<void> {
  await pool.query(
    `UPDATE au_pay_orders SET link_status = $3, last_error = $4, updated_at = now() WHERE shop_id = $1 AND order_id = $2`,
    [shopId, orderId, status, lastError],
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
      ORDER BY id DESC LIMIT $5`,
    [q.shopId, q.orderId ?? null, q.result ?? null, q.beforeId ?? null, q.limit],
  );
  return rows;
}
