import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { finishShipmentImport, getImportRow, nextPendingLines, recordRowOutcomes } from '../db/shipment-imports';
import { applyShipmentRow, type ApplyRowDeps } from '../shipment-import/apply-row';
import type { RowResult } from '../shipment-import/types';

export interface ShipmentImportActivityDeps {
  db: Pool;
  /** the worker's own client: a row starts or signals the au PAY chain, starts the capture, wakes order data OUT */
  temporal?: { client: Client; taskQueue: string };
  yahooShop: ApplyRowDeps['yahooShop'];
}

/** The steps of a shipment import: its pending lines read from PostgreSQL, each row applied, the outcomes written back. */
export function createShipmentImportActivities(deps: ShipmentImportActivityDeps) {
  return {
    nextShipmentImportLines: (q: { importId: string; afterLine: number; limit: number }) => nextPendingLines(deps.db, q.importId, q.afterLine, q.limit),

    /**
     * One row, read by its line (its data never passes through history), through the one row path. Idempotent per
     * (import, line): a retry after a crash skips the effects already recorded.
     */
    async applyShipmentImportRow(s: { shopId: string; importId: string; line: number }): Promise<RowResult> {
      // a plain error: retried, so a worker given its Temporal client later picks the import up
      if (!deps.temporal) throw new Error('this worker has no Temporal client for the shipment import');
      const row = await getImportRow(deps.db, s.importId, s.line);
      if (!row) throw ApplicationFailure.nonRetryable(`no stored row at line ${s.line} of import ${s.importId}`, 'MissingRow');
      const ctx = Context.current();
      const beat = setInterval(() => ctx.heartbeat(), 1000);
      try {
        return await applyShipmentRow({ db: deps.db, temporal: deps.temporal, yahooShop: deps.yahooShop }, { shopId: s.shopId, importId: s.importId, row });
      } finally {
        clearInterval(beat);
      }
    },

    recordShipmentImportOutcomes: (r: { importId: string; outcomes: Array<{ line: number } & RowResult> }) => recordRowOutcomes(deps.db, r.importId, r.outcomes),

    finishShipmentImportRun: (r: { importId: string; status: 'completed' | 'canceled' }) => finishShipmentImport(deps.db, r.importId, r.status),
  };
}
