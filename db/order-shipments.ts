import type { Pool } from 'pg';
import { CARRIERS, type CarrierCode } from '../shipment-import/carriers';
import type { RowResult } from '../shipment-import/types';

/**
 * The shipment each order was last given by an import (order_shipments, migration 024), and the effects each import
 * row has done (shipment_row_effects), so a retried row skips what it did before.
 */

type Queryable = Pick<Pool, 'query'>;

export const CAPTURE_STATUS = { capturing: '売上確定中', captured: '売上確定済み', error: '売上確定エラー' } as const;
export type CaptureStatus = (typeof CAPTURE_STATUS)[keyof typeof CAPTURE_STATUS];

/** The order data OUT event a shipment writes. */
export const SHIPMENT_OUT_EVENT = 'shipment';

export interface ShipmentValues {
  shopId: string;
  orderId: string;
  /** YYYY-MM-DD */
  shipDate: string;
  carrier: CarrierCode;
  trackingNumber: string | null;
}

export interface OrderShipmentRow extends ShipmentValues {
  importId: string;
  line: number;
  sentOutAt: string | null;
  captureStatus: CaptureStatus | null;
  captureError: string | null;
  /** the outcome of the import row that last acted on the order (null: that row has none yet) */
  recorderOutcome: RowResult['outcome'] | null;
}

export const sameShipment = (a: Omit<ShipmentValues, 'shopId' | 'orderId'>, b: Omit<ShipmentValues, 'shopId' | 'orderId'>): boolean =>
  a.shipDate === b.shipDate && a.carrier === b.carrier && (a.trackingNumber ?? null) === (b.trackingNumber ?? null);

export async function getOrderShipment(db: Queryable, shopId: string, orderId: string): Promise<OrderShipmentRow | undefined> {
  const { rows } = await db.query<Omit<OrderShipmentRow, 'recorderOutcome'> & { outcome: string | null }>(
    `SELECT s.shop_id AS "shopId", s.order_id AS "orderId", to_char(s.ship_date, 'YYYY-MM-DD') AS "shipDate", s.carrier,
       s.tracking_number AS "trackingNumber", s.import_id AS "importId", s.line, s.sent_out_at::text AS "sentOutAt",
       s.capture_status AS "captureStatus", s.capture_error AS "captureError", e.detail AS outcome
     FROM order_shipments s
     LEFT JOIN shipment_row_effects e ON e.import_id = s.import_id AND e.line = s.line AND e.effect = 'outcome'
     WHERE s.shop_id = $1 AND s.order_id = $2`,
    [shopId, orderId],
  );
  const r = rows[0];
  if (!r) return undefined;
  const { outcome, ...row } = r;
  return { ...row, recorderOutcome: outcome ? (JSON.parse(outcome) as RowResult).outcome : null };
}

/** What the import row has done so far: effect → its detail (the `outcome` effect holds the row's RowResult as JSON). */
export async function rowEffects(db: Queryable, importId: string, line: number): Promise<Map<string, string>> {
  const { rows } = await db.query<{ effect: string; detail: string }>(
    `SELECT effect, detail FROM shipment_row_effects WHERE import_id = $1 AND line = $2 ORDER BY done_at`,
    [importId, line],
  );
  return new Map(rows.map((r) => [r.effect, r.detail]));
}

/** One effect done (a repeat records nothing: the first detail stays). */
export async function recordRowEffect(db: Queryable, importId: string, line: number, effect: string, detail: string): Promise<void> {
  await db.query(
    `INSERT INTO shipment_row_effects (import_id, line, effect, detail) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [importId, line, effect, detail],
  );
}

/** The row's final result, recorded last; a retried row returns it as it is. */
export const recordRowResult = (db: Queryable, importId: string, line: number, result: RowResult): Promise<void> =>
  recordRowEffect(db, importId, line, 'outcome', JSON.stringify(result));

/**
 * The order's ship date, carrier and tracking number from this import row, and the row's `record` effect, in one
 * statement. The row becomes the order's last actor; new values are not sent out yet (sent_out_at null); the capture's
 * status stays.
 */
export async function recordShipment(db: Queryable, s: ShipmentValues & { importId: string; line: number }, detail: string): Promise<void> {
  await db.query(
    `WITH saved AS (
       INSERT INTO order_shipments (shop_id, order_id, ship_date, carrier, tracking_number, import_id, line)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (shop_id, order_id) DO UPDATE SET
         ship_date = EXCLUDED.ship_date, carrier = EXCLUDED.carrier, tracking_number = EXCLUDED.tracking_number,
         import_id = EXCLUDED.import_id, line = EXCLUDED.line, updated_at = now(),
         sent_out_at = CASE WHEN (order_shipments.ship_date, order_shipments.carrier, order_shipments.tracking_number)
           IS NOT DISTINCT FROM (EXCLUDED.ship_date, EXCLUDED.carrier, EXCLUDED.tracking_number) THEN order_shipments.sent_out_at END
       RETURNING 1)
     INSERT INTO shipment_row_effects (import_id, line, effect, detail) SELECT $6, $7, 'record', $8 FROM saved
     ON CONFLICT DO NOTHING`,
    [s.shopId, s.orderId, s.shipDate, s.carrier, s.trackingNumber, s.importId, s.line, detail],
  );
}

/** The order's current values went out (order data OUT and its marketplace). */
export async function markSentOut(db: Queryable, s: ShipmentValues): Promise<void> {
  await db.query(
    `UPDATE order_shipments SET sent_out_at = now(), updated_at = now()
     WHERE shop_id = $1 AND order_id = $2 AND ship_date = $3 AND carrier = $4 AND tracking_number IS NOT DISTINCT FROM $5`,
    [s.shopId, s.orderId, s.shipDate, s.carrier, s.trackingNumber],
  );
}

/**
 * The shipment's order data OUT row. The dedupe key names the order and its shipment values, so the same shipment
 * imported again (or a retried row) writes nothing. True when the row was written now.
 */
export async function writeShipmentOut(db: Queryable, s: ShipmentValues & { importId: string }): Promise<boolean> {
  const key = `${SHIPMENT_OUT_EVENT}:${s.shopId}:${s.orderId}:${s.shipDate}:${s.carrier}:${s.trackingNumber ?? ''}`;
  const payload = {
    orderId: s.orderId, shipDate: s.shipDate, carrier: s.carrier, carrierName: CARRIERS[s.carrier].name,
    trackingNumber: s.trackingNumber, importId: s.importId,
  };
  const { rowCount } = await db.query(
    `INSERT INTO order_outbox (shop_id, order_id, event, dedupe_key, payload) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [s.shopId, s.orderId, SHIPMENT_OUT_EVENT, key, JSON.stringify(payload)],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * The order's 売上確定 status; the time it entered it moves only when it changes. `unlessCaptured`: a capture being
 * (re)started does not hide one already 売上確定済み. Nothing happens for an order no import shipped. True when the
 * status changed.
 */
export async function setCaptureStatus(
  db: Queryable, shopId: string, orderId: string, status: CaptureStatus, error: string | null, o: { unlessCaptured?: boolean } = {},
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE order_shipments SET capture_status = $3, capture_error = $4, updated_at = now(),
       capture_since = CASE WHEN capture_status IS DISTINCT FROM $3 THEN now() ELSE capture_since END
     WHERE shop_id = $1 AND order_id = $2 AND (capture_status, capture_error) IS DISTINCT FROM ($3, $4)
       ${o.unlessCaptured ? `AND capture_status IS DISTINCT FROM '${CAPTURE_STATUS.captured}'` : ''}`,
    [shopId, orderId, status, error],
  );
  return (rowCount ?? 0) > 0;
}
