/**
 * Cancellation (workflows/order-cancel.ts) as a bench process: a GMO-PG trade authorized the same JST day, canceled
 * (VOID at the GMO-PG emulator), the order キャンセル with its order data OUT row, delivered by the real delivery
 * workflow to the shop's external system, which tells the cancel the row's outcome (a signal), recorded on the cancel.
 */
import { getCancelRecord } from '../../db/order-cancel';
import type { ActivityDeps } from '../../activities';
import { orderCancelWorkflow } from '../../workflows/order-cancel';
import type { OrderCancelInput, OrderCancelState } from '../../workflows/order-cancel-messages';
import { orderCancelWorkflowId, orderOutDeliveryWorkflowId } from '../../workflows/workflow-ids';
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
    // the cancel's cancelBeginOrder, paymentCancel, cancelRecordProvider, cancelCompleteOrder, cancelOutboxProgress,
    // cancelRecordExternal (all but paymentCancel local), then the external system's part, its delivery's nextOrderOut
    // (local), deliverOrderOut, nextOrderOut (local): the process is both (the issue's "payment provider first, then the
    // external system"), its latency waits for both, so its twin has the activities of both. Until session 26 it had 6.
    twinSteps: 9,
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
      const result = await handle.result();
      // the order's delivery, started by the cancel's completing step: its actions and events are the process's too
      return { handles: [handle, c.env.client.workflow.getHandle(orderOutDeliveryWorkflowId(input.shopId, input.orderId))], result };
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
    why: 'its 9 activities are the twin\'s: the cancel\'s own 6, 5 of them its database steps run as local activities (patched '
      + '\'cancel-local-steps\': no round trip through the server each, 1 action per workflow task), and the 3 of the order\'s delivery, '
      + 'which runs in its own workflow (1 start more than the twin: the cancel\'s completing step signals-with-start it, and it serves '
      + 'every OUT row of the order; counted here since session 26, with its events, and its timer: after delivering it waits '
      + '10 minutes for more rows of the order, still open when its history is read); 1 signal: the '
      + 'delivery tells the cancel its OUT row\'s outcome (outboxSettled), which the saga records on the cancel for the Web UI; 1 timer of the cancel: '
      + 'the fallback poll of that row (30 s, a condition the signal ends: the held-back display, and a cancel whose delivery could not '
      + 'tell it); OrderCancelStatus upserts (canceled) and 1 TemporalChangeVersion for the run\'s one patch marker (workflows/patch-gate.ts: '
      + 'order-cancel-patches-folded stands for the 4 earlier patches, 4 markers and 4 upserts until this run). Before the signal the saga '
      + 'slept 30 s between two polls: every cancel took ≥ 30 s',
  };
}
