import { ActivityFailure, condition, continueAsNew, proxyActivities, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { msToNumber as msOf, type Duration } from '@temporalio/common/lib/time';
import type { createOrderOutActivities } from '../activities/order-out-activities';
import { orderOutStateQuery, outboxWrittenSignal } from './order-out-messages';
import { orderAttributes } from './order-status-attributes';
import { patchGate } from './patch-gate';
import { externalSystem, localIo, localStep } from './retry-policies';
import { ORDER_OUT_STATUS } from './search-attributes';

type OrderOutActivities = ReturnType<typeof createOrderOutActivities>;
const external = proxyActivities<OrderOutActivities>(externalSystem);
const local = proxyActivities<OrderOutActivities>(localIo);
/** The look for the next row, in the workflow task itself: one database read, no round trip through the server. */
const here = proxyLocalActivities<OrderOutActivities>(localStep);

/**
 * Order data OUT for one order (#1319, #966 b): its outbox rows go to the shop's external system one at a time, oldest
 * first, so a later state never overtakes an earlier one. A row whose retries are spent is failed, the shop is
 * mailed, and the order's later rows wait until an operator redelivers it. With nothing left to send, the workflow
 * waits a while for more (`idleFor`, 0: none) and then ends; the dispatcher starts it again when new rows come.
 */
export async function orderOutDeliveryWorkflow(ref: { shopId: string; orderId: string }, o: { idleFor?: Duration } = {}): Promise<number> {
  const { since } = patchGate('order-out-patches-folded');
  let wakeUps = 0;
  let delivered = 0;
  let heldBy: string | null = null;
  setHandler(outboxWrittenSignal, () => void (wakeUps += 1));
  setHandler(orderOutStateQuery, () => ({ delivered, heldBy }));
  const showAttributes = orderAttributes(() => since('order-out-search-attributes'), ref);
  /** The Web UI's OrderOutStatus in the rows' words (pending is set at start): one upsert when it changes. */
  const show = (status: 'pending' | 'failed' | 'delivered') => showAttributes([{ key: ORDER_OUT_STATUS, value: status }]);
  const looks = since('order-out-local-look') ? here : local; // runs started before looked with a (remote) activity
  const idleFor = o.idleFor ?? '10 minutes';

  for (;;) {
    const seen = wakeUps;
    const next = await looks.nextOrderOut(ref);
    if (!next) {
      show('delivered'); // nothing left to send
      const more = msOf(idleFor) === 0 ? wakeUps > seen : await condition(() => wakeUps > seen, idleFor);
      if (more) continue;
      return delivered;
    }
    if (next.status === 'failed') {
      heldBy = next.outboxId;
      show('failed'); // the operator's redelivery is awaited
      await condition(() => wakeUps > seen); // the operator's redelivery wakes us
      heldBy = null;
      continue;
    }
    show('pending');
    try {
      await external.deliverOrderOut({ outboxId: next.outboxId });
      delivered += 1;
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      await local.failOrderOut({ outboxId: next.outboxId, error: err.cause?.message ?? err.message });
    }
    if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof orderOutDeliveryWorkflow>(ref, o);
  }
}
