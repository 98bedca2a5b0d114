/**
 * Cancellation (workflows/order-cancel.ts) as a bench process: a GMO-PG trade authorized the same JST day, canceled
 * (VOID at the GMO-PG emulator), the order キャンセル with its order data OUT row, delivered by the real delivery
 * workflow to the shop's external system, and the outcome recorded on the cancel.
 *
 * The saga watches its OUT row by polling it with a 30 s durable sleep between polls (watchDelivery), and has no input
 * to shorten it: the row is still pending at the first poll (its delivery runs in another workflow), so every cancel
 * takes ≥ 30 s. It runs with few orders, all in flight at once, in one round and no warm-up (`sizes`).
 */
import { getCancelRecord } from '../../db/order-cancel';
import type { ActivityDeps } from '../../activities';
import { orderCancelWorkflow } from '../../workflows/order-cancel';
import type { OrderCancelInput, OrderCancelState } from '../../workflows/order-cancel-messages';
import { orderCancelWorkflowId } from '../../workflows/workflow-ids';
import { cancelGmoPgDeps, gmoAuthorize, METHODS, newGmoOrderId, appliedCancels, setUpCancelShop } from '../../tests/support/order-cancel-fixtures';
import { connectExternalSystem } from '../../tests/support/order-out-fixtures';
import { runPhase } from '../run-phase';
import type { BenchContext, ProcessRunner } from '../process-runner';

const SHOP = 'bench-cancel-shop';

export async function orderCancelProcess(c: BenchContext, deps: ActivityDeps): Promise<ProcessRunner<OrderCancelInput, OrderCancelState>> {
  const accounts = deps.accounts!;
  await connectExternalSystem(accounts, c.sandbox, SHOP);
  await setUpCancelShop(c.db.pool, accounts, c.sandbox, SHOP);
  deps.gmoPg = cancelGmoPgDeps(c.sandbox, accounts);
  // the cancel wakes its order's delivery as in production; only shops with an external system are woken
  deps.temporal = { get client() { return c.env.client; }, taskQueue: c.taskQueue };
  deps.orderOutTimeoutMs ??= 10_000;
  return {
    name: 'cancellation',
    // cancelBeginOrder, paymentCancel, cancelRecordProvider, cancelCompleteOrder, cancelOutboxProgress ×2, cancelRecordExternal
    twinSteps: 7,
    // ≥ 30 s per order whatever the load: a handful, all at once, one round
    sizes: ({ orders }) => ({ orders: Math.max(5, Math.min(60, Math.round(orders / 5))), rounds: 1, concurrency: Math.max(5, Math.min(60, Math.round(orders / 5))), warmup: 0 }),
    async prepare(tag, n) {
      const inputs = new Array<OrderCancelInput>(n);
      const today = new Date();
      await runPhase(n, 5, async (i) => {
        const trade = newGmoOrderId('B');
        await gmoAuthorize(c.sandbox, trade, today);
        inputs[i] = { shopId: SHOP, orderId: `BENCH-CX-${tag}-${i}`, source: 'shop-admin', payment: { method: METHODS.gmo, gmoPgOrderId: trade } };
      });
      return inputs;
    },
    async run(input) {
      const handle = await c.env.client.workflow.start(orderCancelWorkflow, {
        workflowId: orderCancelWorkflowId(input.shopId, input.orderId), taskQueue: c.taskQueue, args: [input],
      });
      return { handles: [handle], result: await handle.result() };
    },
    async verify(inputs, runs) {
      const problems: string[] = [];
      const n = inputs.length;
      const wrong = runs.filter((r) => r.result.status !== 'canceled' || r.result.providerDetail !== 'VOID' || r.result.external !== 'delivered');
      if (wrong.length) problems.push(`${wrong.length}/${n} cancels ended otherwise, e.g. ${JSON.stringify(wrong[0]!.result)}`);
      let badRecord = 0;
      let badTrade = 0;
      await runPhase(n, 5, async (i) => {
        const rec = await getCancelRecord(c.db.pool, SHOP, inputs[i]!.orderId);
        if (rec?.orderStatus !== 'キャンセル' || rec.status !== 'canceled') badRecord += 1;
        if ((await appliedCancels(c.sandbox, inputs[i]!.payment.gmoPgOrderId!)).length !== 1) badTrade += 1;
      });
      if (badRecord) problems.push(`database: ${badRecord}/${n} orders not キャンセル / canceled`);
      if (badTrade) problems.push(`GMO-PG: ${badTrade}/${n} trades without exactly one applied cancel`);
      const { rows } = await c.db.pool.query<{ count: string }>(
        `SELECT count(*) FROM order_outbox WHERE shop_id = $1 AND order_id = ANY($2) AND status = 'delivered'`, [SHOP, inputs.map((x) => x.orderId)],
      );
      if (Number(rows[0]!.count) !== n) problems.push(`outbox: ${rows[0]!.count}/${n} rows delivered`);
      return problems;
    },
    why: 'the cancel\'s own 7 activities are the twin\'s (the order\'s delivery runs in its own workflow, not counted); 1 timer: the 30 s durable '
      + 'sleep between the two polls of its order data OUT row (watchDelivery: the row is still pending at the first poll, and the saga '
      + 'records the delivery\'s outcome on the cancel for the Web UI); it has no input to shorten that sleep, so each cancel takes ≥ 30 s of wall '
      + 'time whatever the load and its orders/s and ratio say only that (run with few orders, all in flight, one round, no warm-up); '
      + 'OrderCancelStatus upserts (canceled) and the TemporalChangeVersion upserts of its patches (order-cancel-search-attributes, '
      + 'payment-provider-interface). A signal from the delivery to the cancel instead of the poll would remove the timer and the 30 s',
  };
}
