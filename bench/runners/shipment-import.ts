/**
 * 出荷実績取込 as a bench process: one "order" is one import of ROWS rows (own-store and ship-date-only, alternating:
 * bench/shipment-file.ts), stored as the API stores it (the file read, validated and written by the API's own
 * functions), then started as the API starts it (shipmentImportStart: same workflow id, input, policies and search
 * attribute) and awaited. Each row: its shipment recorded in order_shipments; an own-store row also writes its order
 * data OUT row. The bench's shop has no external system, so no delivery workflow is woken per row (that cost is the
 * order data OUT delivery's own row of the table).
 */
import { randomBytes } from 'node:crypto';
import { requestHashOf, shipmentImportStart } from '../../api/shipment-imports/create-import';
import { startPending } from '../../api/pending-starts';
import { createShipmentImport } from '../../db/shipment-imports';
import { BOOTSTRAP_ACTOR } from '../../operators/roles';
import { columnNames, rowsFromCsv } from '../../shipment-import/file-rows';
import { validateShipmentRows } from '../../shipment-import/validate';
import { createShopDirectory } from '../../shops/shop-directory';
import type { ActivityDeps } from '../../activities';
import type { ShipmentImportResult } from '../../workflows/shipment-import-messages';
import type { BenchContext, ProcessRunner } from '../process-runner';
import { cheapRow, isOwnStoreRow, shiftJisFile } from '../shipment-file';

const SHOP = 'bench-import-shop';
/** Rows per import: half own-store, half ship-date-only. */
const ROWS = 20;
const OWN_STORE = Array.from({ length: ROWS }, (_, i) => i).filter(isOwnStoreRow).length;
/** The workflow's lanes (workflows/shipment-import.ts): rows applied at once within one import. */
const LANES = 10;
const CONTENT_TYPE = 'text/csv';

interface StoredImport { id: string; orderIds: string[]; ownStoreIds: string[] }

export function shipmentImportProcess(c: BenchContext, deps: ActivityDeps): ProcessRunner<StoredImport, ShipmentImportResult> {
  // the worker's own client, read through (as order-cancel sets it): a row records, writes OUT and would wake its delivery
  deps.temporal ??= { get client() { return c.env.client; }, taskQueue: c.taskQueue };
  const directory = createShopDirectory(c.db.pool, { cacheMs: 0 });
  return {
    name: `shipment import (${ROWS} rows)`,
    twinSteps: ROWS, // one no-op per row, in sequence; the import applies them LANES at a time
    perUnit: { name: 'row', count: ROWS },
    // an import is ROWS activities: a fifth of the run's orders and in flight keeps its activities near the other rows'
    sizes: (run) => ({ orders: Math.max(4, Math.ceil(run.orders / 5)), rounds: run.rounds, concurrency: Math.max(2, Math.ceil(run.concurrency / 5)), warmup: 2 }),
    async prepare(tag, n) {
      const imports: StoredImport[] = [];
      const settings = await directory.settings(SHOP, 'shipment-import');
      for (let k = 0; k < n; k += 1) {
        const prefix = `B${tag}-${k}-`;
        const lines = Array.from({ length: ROWS }, (_, i) => cheapRow(i, prefix));
        const file = shiftJisFile(lines);
        // as the API's POST reads, validates and stores it (api/shipment-imports/routes.ts, create-import.ts), unstarted
        const { encoding, rows } = rowsFromCsv(file, CONTENT_TYPE);
        const flags = { shipDateMode: settings.shipDateMode, capture: settings.capture, trackingNumberApi: settings.trackingNumberApi };
        const validation = await validateShipmentRows(c.db.pool, SHOP, rows, { flags, columnOf: columnNames.csv });
        if (validation.invalid.length) throw new Error(`bench import ${prefix}: ${JSON.stringify(validation.problems.slice(0, 3))}`);
        const id = randomBytes(16).toString('hex');
        await createShipmentImport(c.db.pool, {
          id, shopId: SHOP, encoding, onError: settings.onError, actor: BOOTSTRAP_ACTOR, idempotencyKey: null,
          requestHash: requestHashOf('csv', file, '{}', CONTENT_TYPE), rows: validation.valid, invalid: [],
        });
        const orderIds = validation.valid.map((r) => r.orderId);
        imports.push({ id, orderIds, ownStoreIds: orderIds.filter((_, i) => isOwnStoreRow(i)) });
      }
      return imports;
    },
    async run(i) {
      const start = shipmentImportStart(SHOP, i.id, c.taskQueue);
      await startPending(c.env.client, start);
      const handle = c.env.client.workflow.getHandle(start.workflowId);
      return { handles: [handle], result: (await handle.result()) as ShipmentImportResult };
    },
    async verify(imports, runs) {
      const problems: string[] = [];
      const n = imports.length;
      const ids = imports.map((i) => i.id);
      const wrong = runs.filter((r) => r.result.status !== 'completed');
      if (wrong.length) problems.push(`${wrong.length}/${n} imports ended otherwise, e.g. ${JSON.stringify(wrong[0]!.result)}`);
      const { rows: outcomes } = await c.db.pool.query<{ outcome: string | null; n: string }>(
        'SELECT outcome, count(*) AS n FROM shipment_import_rows WHERE import_id = ANY($1) GROUP BY outcome', [ids],
      );
      const applied = Number(outcomes.find((o) => o.outcome === 'applied')?.n ?? 0);
      if (applied !== n * ROWS) problems.push(`rows: ${applied}/${n * ROWS} applied (${outcomes.map((o) => `${o.outcome ?? 'none'} ${o.n}`).join(', ')})`);
      const { rows: finished } = await c.db.pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM shipment_imports WHERE id = ANY($1) AND status = 'completed' AND finished_at IS NOT NULL`, [ids],
      );
      if (Number(finished[0]!.n) !== n) problems.push(`imports: ${finished[0]!.n}/${n} completed`);
      const orderIds = imports.flatMap((i) => i.orderIds);
      const { rows: shipments } = await c.db.pool.query<{ n: string }>(
        'SELECT count(*) AS n FROM order_shipments WHERE shop_id = $1 AND order_id = ANY($2) AND import_id = ANY($3)', [SHOP, orderIds, ids],
      );
      if (Number(shipments[0]!.n) !== orderIds.length) problems.push(`order_shipments: ${shipments[0]!.n}/${orderIds.length} rows`);
      const ownStore = imports.flatMap((i) => i.ownStoreIds);
      const { rows: out } = await c.db.pool.query<{ n: string }>(
        'SELECT count(*) AS n FROM order_outbox WHERE shop_id = $1 AND order_id = ANY($2)', [SHOP, orderIds],
      );
      if (Number(out[0]!.n) !== ownStore.length) problems.push(`order_outbox: ${out[0]!.n} rows, expected ${ownStore.length} (one per own-store row, none for ship-date-only)`);
      return problems;
    },
    why: `one import of ${ROWS} rows (${OWN_STORE} own-store: shipment recorded and its order data OUT row written; ${ROWS - OWN_STORE} ship-date-only: `
      + `recorded only), its ${ROWS} rows applied ${LANES} at a time where the twin runs its ${ROWS} no-ops one after another (so the import can beat `
      + 'its twin on wall time). Beyond the twin\'s: 1 activity reading the run\'s pending lines (only line numbers pass '
      + 'through history, each row is read by its own step), 1 recording the outcomes (every 50 rows and once at the end: 1 here), 1 finishing '
      + 'the import (its status, and the rows never taken when canceled); no timer, no signal, no search-attribute upsert (ShopId is set at '
      + 'start); every 500 rows a continue-as-new (1 start), none at this size',
  };
}
