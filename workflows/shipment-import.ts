import { allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler } from '@temporalio/workflow';
import type { createShipmentImportActivities } from '../activities/shipment-import-activities';
import type { RowResult } from '../shipment-import/types';
import { cancelShipmentImportUpdate, type ShipmentImportInput, type ShipmentImportResult } from './shipment-import-messages';
import { innermostMessage, runInLanes } from './in-lanes';
import { localIo } from './retry-policies';

/** Rows applied at once: the marketplaces, the providers and the order workflows are shared with everyone else. */
const LANES = 10;
/** Rows per run: a run's history stays a few thousand events, so 100,000 rows are 200 short runs. */
export const ROWS_PER_RUN = 500;
/** Outcomes are written to PostgreSQL this many at a time, where progress and results.csv are read from. */
const RECORD_EVERY = 50;

type Activities = ReturnType<typeof createShipmentImportActivities>;
const db = proxyActivities<Activities>(localIo);
const { applyShipmentImportRow } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10 seconds', // a killed worker's row is retried elsewhere within seconds; its recorded effects are not done again
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 10 },
});

/**
 * 出荷実績取込: the rows of one stored import, each applied as its own step (ship date, order data OUT, the marketplaces,
 * the capture: shipment-import/apply-row.ts), LANES at a time, each outcome recorded in PostgreSQL. Only line numbers
 * pass through history; each row is read from the database by its step. A cancel stops the rows not yet taken; those
 * in flight finish. Every ROWS_PER_RUN rows the workflow continues as new with only its position.
 */
export async function shipmentImportWorkflow(input: ShipmentImportInput): Promise<ShipmentImportResult> {
  const { shopId, importId } = input;
  let canceled = false;
  let finished: ShipmentImportResult | undefined = undefined;
  setHandler(cancelShipmentImportUpdate, async () => {
    canceled = true;
    await condition(() => finished !== undefined);
    return finished!;
  }, { validator: () => { if (finished) throw new Error(`the shipment import is already ${finished.status}`); } });

  const lines = await db.nextShipmentImportLines({ importId, afterLine: input.afterLine ?? 0, limit: ROWS_PER_RUN });
  await runInLanes({
    items: lines, lanes: LANES, recordEvery: RECORD_EVERY, stopped: () => canceled,
    step: async (line): Promise<{ line: number } & RowResult> => {
      const result = await applyShipmentImportRow({ shopId, importId, line }).catch((err: unknown): RowResult => ({
        outcome: 'failed', detail: innermostMessage(err), // retries exhausted: told in the results, not hidden
      }));
      return { line, ...result };
    },
    record: (outcomes) => db.recordShipmentImportOutcomes({ importId, outcomes }),
  });

  const afterLine = lines.at(-1) ?? input.afterLine ?? 0;
  if (!canceled && lines.length === ROWS_PER_RUN) return continueAsNew<typeof shipmentImportWorkflow>({ ...input, afterLine });

  // canceled: the rows never taken (this run's and later ones') are marked canceled
  const status = canceled ? 'canceled' : 'completed';
  await db.finishShipmentImportRun({ importId, status });
  finished = { status };
  await condition(allHandlersFinished); // the cancel's answer goes out before the workflow ends
  return finished;
}
