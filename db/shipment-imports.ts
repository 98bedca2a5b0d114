import type { Pool } from 'pg';
import type { Actor } from '../operators/roles';
import { ROW_OUTCOMES, type ImportEncoding, type ImportStatus, type OnError, type RowOutcome, type RowResult, type ShipmentRow } from '../shipment-import/types';
import { shipmentImportWorkflowId } from '../workflows/workflow-ids';

type Queryable = Pick<Pool, 'query'>;

export interface NewShipmentImport {
  id: string;
  shopId: string;
  encoding: ImportEncoding;
  onError: OnError;
  actor: Actor;
  idempotencyKey: string | null;
  requestHash: string;
  /** the valid rows, resolved */
  rows: ShipmentRow[];
  /** the rows validation refused (stored when valid rows go ahead: onError skip) */
  invalid: Array<{ line: number; orderId: string; detail: string }>;
}

/** An import as the API shows it: progress read from its rows. */
export interface ShipmentImportView {
  id: string;
  shopId: string;
  status: ImportStatus;
  encoding: ImportEncoding;
  onError: OnError;
  total: number;
  /** rows with an outcome (invalid ones included) */
  done: number;
  counts: Record<RowOutcome, number>;
  createdAt: string;
  finishedAt: string | null;
  workflowId: string;
}

const MAX_DETAIL = 1000;

/**
 * The import and all its rows in one statement (no half-written import exists): up to 100,000 rows as parallel
 * arrays. False when the id exists already: a repeat of the same Idempotency-Key.
 */
export async function createShipmentImport(db: Queryable, i: NewShipmentImport): Promise<boolean> {
  const all = [
    ...i.rows.map((r) => ({ line: r.line, orderId: r.orderId, row: r as ShipmentRow | null, outcome: null, detail: null })),
    ...i.invalid.map((r) => ({ line: r.line, orderId: r.orderId, row: null, outcome: 'invalid', detail: r.detail.slice(0, MAX_DETAIL) })),
  ];
  // every row as one json array: far cheaper to send and parse (PGlite above all) than parallel text[] of JSON texts
  const { rows } = await db.query<{ n: number }>(
    `WITH imp AS (
       INSERT INTO shipment_imports (id, shop_id, encoding, on_error, total, invalid, actor, idempotency_key, request_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (id) DO NOTHING RETURNING id),
     r AS (
       INSERT INTO shipment_import_rows (import_id, line, order_id, "row", outcome, detail, done_at)
       SELECT imp.id, (e->>'l')::int, e->>'o', (e->'r')::jsonb, e->>'x', e->>'d', CASE WHEN e->>'x' IS NULL THEN NULL ELSE now() END
         FROM imp, json_array_elements($10::json) AS e
       RETURNING 1)
     SELECT (SELECT count(*) FROM imp)::int AS n`,
    [i.id, i.shopId, i.encoding, i.onError, all.length, i.invalid.length, JSON.stringify(i.actor), i.idempotencyKey, i.requestHash,
      JSON.stringify(all.map((r) => (r.row ? { l: r.line, o: r.orderId, r: r.row } : { l: r.line, o: r.orderId, x: r.outcome, d: r.detail })))],
  );
  return rows[0]!.n === 1;
}

const VIEW = `s.id, s.shop_id AS "shopId", s.status, s.encoding, s.on_error AS "onError", s.total, s.created_at AS "createdAt",
  s.finished_at AS "finishedAt", c.counts`;
const COUNTS = `LATERAL (SELECT json_object_agg(outcome, n) AS counts FROM (
    SELECT outcome, count(*)::int AS n FROM shipment_import_rows WHERE import_id = s.id AND outcome IS NOT NULL GROUP BY outcome) o) c`;

type ViewRow = Omit<ShipmentImportView, 'done' | 'counts' | 'workflowId'> & { counts: Partial<Record<RowOutcome, number>> | null };
function viewOf(r: ViewRow): ShipmentImportView {
  const counts = Object.fromEntries(ROW_OUTCOMES.map((o) => [o, r.counts?.[o] ?? 0])) as Record<RowOutcome, number>;
  const { counts: _stored, ...rest } = r;
  return { ...rest, done: ROW_OUTCOMES.reduce((n, o) => n + counts[o], 0), counts, workflowId: shipmentImportWorkflowId(r.shopId, r.id) };
}

/** One import of the shop with its progress; undefined for another shop's id. */
export async function getShipmentImport(db: Queryable, shopId: string, id: string): Promise<ShipmentImportView | undefined> {
  const r = (await db.query<ViewRow>(`SELECT ${VIEW} FROM shipment_imports s, ${COUNTS} WHERE s.shop_id = $1 AND s.id = $2`, [shopId, id])).rows[0];
  return r && viewOf(r);
}

/** The shop's imports, newest first. */
export async function listShipmentImports(db: Queryable, shopId: string, limit = 50): Promise<ShipmentImportView[]> {
  const { rows } = await db.query<ViewRow>(
    `SELECT ${VIEW} FROM shipment_imports s, ${COUNTS} WHERE s.shop_id = $1 ORDER BY s.created_at DESC, s.id DESC LIMIT $2`, [shopId, limit]);
  return rows.map(viewOf);
}

/** What a repeat of an Idempotency-Key is compared with and answered from. */
export async function getShipmentImportRequest(db: Queryable, shopId: string, id: string): Promise<{ requestHash: string; total: number; invalid: number } | undefined> {
  return (await db.query<{ requestHash: string; total: number; invalid: number }>(
    `SELECT request_hash AS "requestHash", total, invalid FROM shipment_imports WHERE shop_id = $1 AND id = $2`, [shopId, id])).rows[0];
}

/** Lines with no outcome yet after `afterLine`, ascending: what the workflow takes next. */
export async function nextPendingLines(db: Queryable, importId: string, afterLine: number, limit: number): Promise<number[]> {
  const { rows } = await db.query<{ line: number }>(
    `SELECT line FROM shipment_import_rows WHERE import_id = $1 AND line > $2 AND outcome IS NULL ORDER BY line LIMIT $3`,
    [importId, afterLine, limit]);
  return rows.map((r) => r.line);
}

/** A valid row of the import, as validation resolved it. */
export async function getImportRow(db: Queryable, importId: string, line: number): Promise<ShipmentRow | undefined> {
  return (await db.query<{ row: ShipmentRow }>(
    `SELECT "row" FROM shipment_import_rows WHERE import_id = $1 AND line = $2 AND "row" IS NOT NULL`, [importId, line])).rows[0]?.row;
}

export async function getImportShop(db: Queryable, importId: string): Promise<string | undefined> {
  return (await db.query<{ shopId: string }>(`SELECT shop_id AS "shopId" FROM shipment_imports WHERE id = $1`, [importId])).rows[0]?.shopId;
}

/** Records a batch of outcomes; an outcome recorded before stays (a retried batch changes nothing). */
export async function recordRowOutcomes(db: Queryable, importId: string, outcomes: Array<{ line: number } & RowResult>): Promise<void> {
  if (outcomes.length === 0) return;
  await db.query(
    `UPDATE shipment_import_rows r SET outcome = x.outcome, detail = x.detail, done_at = now()
       FROM unnest($2::int[], $3::text[], $4::text[]) AS x(line, outcome, detail)
      WHERE r.import_id = $1 AND r.line = x.line AND r.outcome IS NULL`,
    [importId, outcomes.map((o) => o.line), outcomes.map((o) => o.outcome), outcomes.map((o) => o.detail.slice(0, MAX_DETAIL))],
  );
}

/** Ends a running import; canceled: every row not done is marked canceled in the same statement. */
export async function finishShipmentImport(db: Queryable, importId: string, status: 'completed' | 'canceled'): Promise<void> {
  await db.query(
    `WITH rest AS (
       UPDATE shipment_import_rows SET outcome = 'canceled', detail = '取込中止', done_at = now()
        WHERE import_id = $1 AND outcome IS NULL AND $2 = 'canceled' RETURNING 1)
     UPDATE shipment_imports SET status = $2, finished_at = now() WHERE id = $1 AND status = 'running'`,
    [importId, status],
  );
}

/** Every row's outcome in line order (results.csv); outcome null: not done yet. */
export async function listRowResults(db: Queryable, shopId: string, id: string): Promise<Array<{ line: number; orderId: string; outcome: RowOutcome | null; detail: string | null }>> {
  const { rows } = await db.query<{ line: number; orderId: string; outcome: RowOutcome | null; detail: string | null }>(
    `SELECT r.line, r.order_id AS "orderId", r.outcome, r.detail FROM shipment_import_rows r
       JOIN shipment_imports s ON s.id = r.import_id
      WHERE s.shop_id = $1 AND r.import_id = $2 ORDER BY r.line`,
    [shopId, id]);
  return rows;
}
