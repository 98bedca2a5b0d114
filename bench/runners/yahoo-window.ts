/**
 * The Yahoo payment-method-change window, opened and settled, as a bench process. Per order: an オーソリエラー order at
 * the Yahoo sandbox; the window started as the sweep starts it (a start carrying the sweep's sighting, its start
 * attributes: activities/yahoo-window-activities.ts); once it waits, the buyer changes the payment method at the
 * sandbox and the sweep's next sighting (orderSeenSignal, recipe 2: SettleStatus 3) settles it: changedReleased,
 * ShipStatus 1 at Yahoo, one order data OUT row. Latency is start → open → settled.
 */
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { ActivityDeps } from '../../activities';
import type { WindowUpdate } from '../../db/yahoo-orders';
import { yahooPayMethodWindowWorkflow } from '../../workflows/yahoo-pay-method-window';
import { orderSeenSignal } from '../../workflows/yahoo-pay-method-window-messages';
import { WINDOW_STATUS } from '../../workflows/yahoo-window-status';
import { yahooPayMethodWindowWorkflowId } from '../../workflows/workflow-ids';
import { ORDER_ID, PAY_METHOD_CHANGE_DEADLINE, SHOP_ID as SHOP_ID_ATTRIBUTE, YAHOO_WINDOW_STATUS } from '../../workflows/search-attributes';
import { SHOP_ID } from '../../tests/support/au-pay-fixtures';
import { authErrorOrder, yahooDeps, yahooOrder, yahooTestShop, type EmulatedOrder } from '../../tests/support/yahoo-fixtures';
import { runPhase } from '../run-phase';
import type { BenchContext, ProcessRunner } from '../process-runner';

const OPEN_TIMEOUT_MS = 60_000;

export async function yahooWindowProcess(c: BenchContext, deps: ActivityDeps): Promise<ProcessRunner<EmulatedOrder, { status: string }>> {
  Object.assign(deps, yahooDeps(yahooTestShop(c.sandbox).shop));
  // no rate limit: the sweep paces its own calls, and the windows' reads are not what is measured against Yahoo's limit
  await c.sandbox.control('POST', '/yahoo/_sandbox/settings', { rateLimitPerSecond: 0, emitPayMethodChangeDeadline: true });
  // Open: the window stored its row, 変更待ち, heard from its record activity as it returns (in this process). Until
  // session 26 the bench polled the rows (one query per 20 ms for all the orders in flight, a thousand queries a second
  // before that): a load on the database the windows write to, which the twin never had.
  const opened = c.activities.waiter<WindowUpdate>(
    'recordYahooWindow', (u) => (u.windowStatus === WINDOW_STATUS.waiting ? u.orderId : undefined), OPEN_TIMEOUT_MS,
  );
  return {
    name: 'Yahoo window open and settle',
    twinSteps: 4, // openWindow read + store (the sighting is the first read), the settling read, the ShipStatus change with its OUT row
    async prepare(_tag, n) {
      const orders = new Array<EmulatedOrder>(n);
      await runPhase(n, 5, async (i) => { orders[i] = await authErrorOrder(c.sandbox); });
      return orders;
    },
    async run(order) {
      const orderId = order.OrderId;
      const deadline = order.PayMethodChangeDeadline;
      const open = opened(orderId); // listening before the start: the record can come before start() returns
      const handle = await c.env.client.workflow.start(yahooPayMethodWindowWorkflow, {
        workflowId: yahooPayMethodWindowWorkflowId(SHOP_ID, orderId), taskQueue: c.taskQueue,
        args: [{ shopId: SHOP_ID, orderId, deadline, sighting: { settleStatus: '10', changePossible: true, deadline, recipe: 1 } }],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        typedSearchAttributes: [
          { key: SHOP_ID_ATTRIBUTE, value: SHOP_ID }, { key: ORDER_ID, value: orderId }, { key: YAHOO_WINDOW_STATUS, value: WINDOW_STATUS.waiting },
          ...(deadline ? [{ key: PAY_METHOD_CHANGE_DEADLINE, value: new Date(deadline) }] : []),
        ],
      });
      // open: the window stored its row, 変更待ち (its query says 変更待ち from the start: the row is what the shop sees)
      await open;
      await c.sandbox.control('POST', `/yahoo/_sandbox/orders/${orderId}/pay-method-change`, { payMethod: 'payment_a19' });
      await handle.signal(orderSeenSignal, { settleStatus: '3', changePossible: false, deadline: null, recipe: 2 });
      return { handles: [handle], result: await handle.result() };
    },
    async verify(orders, runs) {
      const problems: string[] = [];
      const n = orders.length;
      const wrong = runs.filter((r) => r.result.status !== WINDOW_STATUS.changedReleased);
      if (wrong.length) problems.push(`${wrong.length}/${n} windows ended otherwise, e.g. ${JSON.stringify(wrong[0]!.result)}`);
      let notReleased = 0;
      await runPhase(n, 5, async (i) => {
        if ((await yahooOrder(c.sandbox, orders[i]!.OrderId)).ShipStatus !== '1') notReleased += 1;
      });
      if (notReleased) problems.push(`Yahoo: ${notReleased}/${n} orders not ShipStatus 1`);
      const { rows } = await c.db.pool.query<{ count: string }>(
        `SELECT count(*) FROM order_outbox WHERE shop_id = $1 AND order_id = ANY($2) AND event = 'yahoo.pay-method-changed'`, [SHOP_ID, orders.map((o) => o.OrderId)],
      );
      if (Number(rows[0]!.count) !== n) problems.push(`outbox: ${rows[0]!.count} yahoo.pay-method-changed rows, expected ${n}`);
      return problems;
    },
    why: 'the sweep\'s sighting is the start\'s argument (no signal), the buyer\'s change comes as its signal (1); its 4 activities are the '
      + 'twin\'s, the 2 records of the window local activities since yahoo-window-lean (in the workflow task: 1 action each); 1 timer: the '
      + 'window\'s wait (its next check, hours away) began before the sighting came, as in production (before the local records, a sighting '
      + 'often came while the opening record ran); 2 upserts: the status after the settling record (変更完了・出荷可, for the Web UI) and the '
      + 'SDK\'s TemporalChangeVersion for the run\'s one patch marker (workflows/patch-gate.ts). Until this run it sent 2 more that re-sent '
      + 'what the start had set (変更待ち, and the read\'s deadline, the sighting\'s same instant), now sent only when they differ',
  };
}
