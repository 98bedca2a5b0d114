import { WorkflowNotFoundError } from '@temporalio/client';
import { outboxSettledSignal, type OutboxProgress } from '../workflows/order-cancel-messages';
import type { OutboxRow } from '../db/order-out';
import type { DeliveryTemporal } from './wake-delivery';

/**
 * Tells the workflow that watches a row (the cancellation saga, for its own row) that the row was delivered or has
 * failed. A watcher that has ended (it stopped watching after a day) needs nothing; any other error fails the
 * activity, whose retry tells it again (the row's outcome is already stored, so the retry only tells).
 */
export async function tellOutboxWatcher(
  temporal: DeliveryTemporal | undefined, row: Pick<OutboxRow, 'id' | 'watchedBy'>, progress: Omit<OutboxProgress, 'heldBy'>,
): Promise<void> {
  if (!temporal || !row.watchedBy) return;
  try {
    await temporal.client.workflow.getHandle(row.watchedBy).signal(outboxSettledSignal, { outboxId: row.id, heldBy: null, ...progress });
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
}
