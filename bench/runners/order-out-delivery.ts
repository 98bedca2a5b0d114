/**
 * Order data OUT delivery as a bench process: one outbox row per order (as another process writes it), delivered by
 * the order's delivery workflow to the shop's external system at the sandbox (signed, verified by the receiver).
 */
import type { ActivityDeps } from '../../activities';
import { orderOutDeliveryWorkflow } from '../../workflows/order-out-delivery';
import { orderOutDeliveryWorkflowId } from '../../workflows/workflow-ids';
import { outboxWrittenSignal } from '../../workflows/order-out-messages';
import { orderOutStartAttributes } from '../../order-out/start-attributes';
import { connectExternalSystem, writeOutbox } from '../../tests/support/order-out-fixtures';
import type { BenchContext, ProcessRunner } from '../process-runner';

const SHOP = 'bench-out-shop';

export async function orderOutDeliveryProcess(c: BenchContext, deps: ActivityDeps): Promise<ProcessRunner<string, number>> {
  await connectExternalSystem(deps.accounts!, c.sandbox, SHOP);
  return {
    name: 'order data OUT delivery',
    twinSteps: 3, // nextOrderOut, deliverOrderOut, nextOrderOut (nothing left)
    async prepare(tag, n) {
      const ids = Array.from({ length: n }, (_, i) => `BENCH-OUT-${tag}-${i}`);
      for (const orderId of ids) {
        await writeOutbox(c.db.pool, SHOP, orderId, [{ event: 'amazon-pay.authorized', payload: { orderId, paymentStatus: '審査完了', amountJpy: 9800 } }]);
      }
      return ids;
    },
    async run(orderId) {
      // idleFor 1 ms: the workflow's wait for more rows (10 minutes in production) ends at once; the timer is the same action
      // signal-with-start, as every process hands its rows over (order-out/wake-delivery.ts)
      const handle = await c.env.client.workflow.signalWithStart(orderOutDeliveryWorkflow, {
        workflowId: orderOutDeliveryWorkflowId(SHOP, orderId), taskQueue: c.taskQueue, args: [{ shopId: SHOP, orderId }, { idleFor: '1 ms' }],
        signal: outboxWrittenSignal, signalArgs: [], typedSearchAttributes: orderOutStartAttributes(SHOP, orderId),
      });
      return { handles: [handle], result: await handle.result() };
    },
    async verify(ids, runs) {
      const problems: string[] = [];
      const n = ids.length;
      const wrong = runs.filter((r) => r.result !== 1).length;
      if (wrong) problems.push(`${wrong}/${n} deliveries returned another count than 1`);
      const { rows } = await c.db.pool.query<{ count: string }>(
        `SELECT count(*) FROM order_outbox WHERE shop_id = $1 AND order_id = ANY($2) AND status = 'delivered'`, [SHOP, ids],
      );
      if (Number(rows[0]!.count) !== n) problems.push(`outbox: ${rows[0]!.count}/${n} rows delivered`);
      const mine = new Set(ids);
      const received = c.sandbox.externalSystem.receiver.list({ endpoint: SHOP }).filter((d) => d.orderId && mine.has(d.orderId));
      const accepted = received.filter((d) => d.accepted && !d.duplicate);
      if (accepted.length !== n || received.length !== n) problems.push(`receiver: ${accepted.length} accepted of ${received.length} received, expected ${n} of ${n}`);
      return problems;
    },
    why: 'the signal of its signal-with-start is part of the one start action; 1 OrderOutStatus upsert (delivered; pending is set free at start) '
      + 'and 1 TemporalChangeVersion upsert (the order-out-search-attributes patch, see au PAY); 1 timer: the wait for more rows before the '
      + 'workflow ends (10 minutes in production, 1 ms here), so a burst of rows for one order goes out through one workflow',
  };
}
