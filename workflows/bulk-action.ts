import { allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler } from '@temporalio/workflow';
import type { createBulkActionActivities } from '../activities/bulk-action-activities';
import { cancelBulkActionUpdate, type BulkActionInput, type BulkActionResult, type StepOutcome } from './bulk-action-messages';
import { innermostMessage, runInLanes } from './in-lanes';
import { localIo } from './retry-policies';

/** Orders acted on at once: the order workflows and the API's database are shared with everyone else. */
const LANES = 10;
/** Orders per run: a run's history stays a few thousand events, so 10,000 orders are 20 short runs. */
const ORDERS_PER_RUN = 500;
/** Outcomes are written to PostgreSQL this many at a time, where progress is read from. */
const RECORD_EVERY = 50;

const db = proxyActivities<ReturnType<typeof createBulkActionActivities>>(localIo);
const { actOnBulkOrder } = proxyActivities<ReturnType<typeof createBulkActionActivities>>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: '10 seconds', // a killed worker's step is retried elsewhere within seconds; the retry acts once
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 10 },
});

/**
 * An operator's one action on many orders: each order goes through the one operator-action path (checked, audited,
 * attributed), LANES at a time, its outcome recorded in PostgreSQL. A cancel stops the orders not yet taken; those in
 * flight finish. Every ORDERS_PER_RUN orders the workflow continues as new with only its position.
 */
export async function bulkActionWorkflow(input: BulkActionInput): Promise<BulkActionResult> {
  let canceled = false;
  let finished: BulkActionResult | undefined = undefined;
  setHandler(cancelBulkActionUpdate, async () => {
    canceled = true;
    await condition(() => finished !== undefined);
    return finished!;
  }, { validator: () => { if (finished) throw new Error(`the bulk action is already ${finished.status}`); } });

  const page = await db.nextBulkOrders({ bulkId: input.bulkId, afterPosition: input.position ?? 0, limit: ORDERS_PER_RUN });
  await runInLanes({
    items: page, lanes: LANES, recordEvery: RECORD_EVERY, stopped: () => canceled,
    step: async ({ position, orderId }): Promise<StepOutcome & { position: number }> => {
      const outcome = await actOnBulkOrder({ ...input, orderId }).catch((err: unknown): StepOutcome => ({
        outcome: 'failed', reason: innermostMessage(err), // retries exhausted: told, not hidden
      }));
      return { position, ...outcome };
    },
    record: (outcomes) => db.recordBulkOutcomes({ bulkId: input.bulkId, outcomes }),
  });

  const position = page.at(-1)?.position ?? input.position ?? 0;
  if (!canceled && page.length === ORDERS_PER_RUN) return continueAsNew<typeof bulkActionWorkflow>({ ...input, position });

  const status = canceled ? 'canceled' : 'completed';
  await db.finishBulkActionRun({ bulkId: input.bulkId, status });
  finished = { status };
  await condition(allHandlersFinished); // the cancel's answer goes out before the workflow ends
  return finished;
}
