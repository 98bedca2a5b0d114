import { allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler } from '@temporalio/workflow';
import type { createBulkActionActivities } from '../activities/bulk-action-activities';
import { cancelBulkActionUpdate, type BulkActionInput, type BulkActionResult, type StepOutcome } from './bulk-action-messages';
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
  const waiting = [...page];
  const unrecorded: Array<StepOutcome & { position: number }> = [];
  let lanesRunning = LANES;

  async function lane(): Promise<void> {
    for (let next = waiting.shift(); next && !canceled; next = waiting.shift()) {
      const { position, orderId } = next;
      const outcome = await actOnBulkOrder({ ...input, orderId }).catch((err: unknown): StepOutcome => ({
        outcome: 'failed', reason: innermostMessage(err), // retries exhausted: told, not hidden
      }));
      unrecorded.push({ position, ...outcome });
    }
    lanesRunning -= 1;
  }

  async function recorder(): Promise<void> {
    for (;;) {
      await condition(() => unrecorded.length >= RECORD_EVERY || lanesRunning === 0);
      if (unrecorded.length > 0) await db.recordBulkOutcomes({ bulkId: input.bulkId, outcomes: unrecorded.splice(0) });
      else if (lanesRunning === 0) return;
    }
  }

  await Promise.all([...Array.from({ length: LANES }, lane), recorder()]);

  const position = page.at(-1)?.position ?? input.position ?? 0;
  if (!canceled && page.length === ORDERS_PER_RUN) return continueAsNew<typeof bulkActionWorkflow>({ ...input, position });

  const status = canceled ? 'canceled' : 'completed';
  await db.finishBulkActionRun({ bulkId: input.bulkId, status });
  finished = { status };
  await condition(allHandlersFinished); // the cancel's answer goes out before the workflow ends
  return finished;
}

/** The failure's own words: retries exhausted, an activity's error is the innermost cause of the ActivityFailure. */
export function innermostMessage(err: unknown): string {
  let e = err as { message?: string; cause?: unknown };
  while (e.cause && typeof e.cause === 'object') e = e.cause as typeof e;
  return e.message ?? String(err);
}
