import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { createOrderOutActivities } from '../activities/order-out-activities';

const { dispatchOrderOut } = proxyActivities<ReturnType<typeof createOrderOutActivities>>({
  startToCloseTimeout: '20 minutes',
  heartbeatTimeout: '30 seconds', // a dead worker's dispatcher is restarted elsewhere within half a minute
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

/**
 * One per namespace, started by every worker (the first wins): a long-running activity polls the outbox and wakes
 * the delivery workflows, so new rows go out within a poll interval without a workflow task per poll.
 */
export async function orderOutDispatcherWorkflow(o: { pollMs?: number; runForMs?: number } = {}): Promise<void> {
  for (let run = 0; run < 50; run++) {
    await dispatchOrderOut({ runForMs: o.runForMs ?? 15 * 60_000, pollMs: o.pollMs ?? 1000 });
  }
  await continueAsNew<typeof orderOutDispatcherWorkflow>(o);
}
