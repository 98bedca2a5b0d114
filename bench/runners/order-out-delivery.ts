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
    twinSteps: 3, // nextOrderOut (local), deliverOrderOut, nextOrderOut (local, nothing left)
    async prepare(tag, n) {
      const ids = Array.from({ length: n }, (_, i) => `BENCH-OUT-${tag}-${i}`);
      for (const orderId of ids) {
        await writeOutbox(c.db.pool, SHOP, orderId, [{ event: 'amazon-pay.authorized', payload: { orderId, paymentStatus: '審査完了', amountJpy: 9800 } }]);
      }
      return ids;
    },
    async run(orderId) {
      // idleFor 0: the workflow ends once its row is out, where in production it lingers 10 minutes for more (a timer,
      // and a workflow task when it fires, both after the delivery: in the actions, not in the latency; see `why`)
      // signal-with-start, as every process hands its rows over (order-out/wake-delivery.ts)
      const handle = await c.env.client.workflow.signalWithStart(orderOutDeliveryWorkflow, {
        workflowId: orderOutDeliveryWorkflowId(SHOP, orderId), taskQueue: c.taskQueue, args: [{ shopId: SHOP, orderId }, { idleFor: 0 }],
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
    why: 'its 3 activities are the twin\'s, the two looks for the next row local (in the workflow task: no round trip through the server, '
      + '1 action each as they fall in separate tasks); the signal of its signal-with-start is part of the one start action; 1 OrderOutStatus '
      + 'upsert (delivered; pending is set free at start) and the TemporalChangeVersion upserts of its patches (order-out-search-attributes, '
      + 'order-out-local-look, see au PAY). Not in the table: in production the workflow then waits 10 minutes for more rows before it ends '
      + '(+1 timer per burst of rows, after the delivery), so a burst of rows for one order goes out through one workflow; the bench ends at '
      + 'once (idleFor 0). Before order-out-local-look, the looks were remote activities and a 1 ms linger timer ran here: 0.47 of the twin',
  };
}
