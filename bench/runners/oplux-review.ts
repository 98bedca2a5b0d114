/** The O-PLUX fraud review (auto OK) as a bench process: shared by bench/oplux-review.ts and `npm run bench`. */
import type { Pool } from 'pg';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { opluxFraudReviewWorkflow } from '../../workflows/oplux-fraud-review';
import type { FraudReviewOrder, FraudReviewState } from '../../workflows/oplux-fraud-review-messages';
import { FRAUD_STATUS } from '../../workflows/oplux-review-rules';
import { opluxFraudReviewWorkflowId } from '../../workflows/workflow-ids';
import { FRAUD_REVIEW_STATUS, ORDER_ID, SHOP_ID } from '../../workflows/search-attributes';
import { newReviewOrder } from '../../tests/support/oplux-fixtures';
import type { BenchContext, ProcessRunner } from '../process-runner';

export const reviewOrders = (tag: string, n: number): FraudReviewOrder[] =>
  Array.from({ length: n }, (_, i) => newReviewOrder({ orderId: `BENCH-${tag}-${i}` }));

/** One review to its end: keepOpenFor 0 ends it when the order is released (production keeps it open 90 days for the black flag). */
export async function runReview(env: TestWorkflowEnvironment, taskQueue: string, order: FraudReviewOrder) {
  const handle = await env.client.workflow.start(opluxFraudReviewWorkflow, {
    workflowId: opluxFraudReviewWorkflowId(order.shopId, order.orderId), taskQueue, args: [order, { keepOpenFor: 0 }],
    // as the API starts it (api/oplux/routes.ts)
    typedSearchAttributes: [{ key: SHOP_ID, value: order.shopId }, { key: ORDER_ID, value: order.orderId }, { key: FRAUD_REVIEW_STATUS, value: FRAUD_STATUS.reviewing }],
  });
  return { handle, result: await handle.result() };
}

/** Every review ended OK and released, with one registration at O-PLUX and one order data OUT row per order. */
export async function verifyReviews(
  results: FraudReviewState[], orders: FraudReviewOrder[], pool: Pool, ledger: Array<{ operation: string; orderId: string }>,
): Promise<string[]> {
  const problems: string[] = [];
  const n = orders.length;
  const ids = orders.map((o) => o.orderId);
  const notOk = results.filter((r) => r.status !== FRAUD_STATUS.ok || !r.released);
  if (notOk.length) problems.push(`${notOk.length}/${n} reviews ended otherwise, e.g. ${JSON.stringify(notOk[0])}`);
  const mine = new Set(ids);
  const registered = ledger.filter((e) => e.operation === 'registerEvent' && mine.has(e.orderId));
  const byOrder = new Set(registered.map((e) => e.orderId));
  if (registered.length !== n || byOrder.size !== n) problems.push(`ledger: ${registered.length} registrations on ${byOrder.size} orders, expected exactly ${n}`);
  const { rows } = await pool.query<{ count: string }>(`SELECT count(*) FROM order_outbox WHERE order_id = ANY($1) AND event = 'oplux.released'`, [ids]);
  if (Number(rows[0]!.count) !== n) problems.push(`outbox: ${rows[0]!.count} order data OUT rows, expected ${n}`);
  return problems;
}

/** The review for `npm run bench`. */
export function opluxReviewProcess(c: BenchContext): ProcessRunner<FraudReviewOrder, FraudReviewState> {
  return {
    name: 'O-PLUX review',
    twinSteps: 3, // openReview, registerEvent, recordReview
    prepare: async (tag, n) => reviewOrders(`OP-${tag}`, n),
    run: async (order) => {
      const { handle, result } = await runReview(c.env, c.taskQueue, order);
      return { handles: [handle], result };
    },
    verify: (orders, runs) => verifyReviews(runs.map((r) => r.result), orders, c.db.pool, c.sandbox.oplux.kit.ledger.list()),
    why: 'its 3 activities are the twin\'s, the last (recordOpluxReview: the twelve fields and the OUT row) a local activity '
      + '(oplux-local-record: in the workflow task, no round trip through the server); 1 FraudReviewStatus upsert (OK, for the Web UI; '
      + '審査中 is set free at start) and the TemporalChangeVersion upsert of that patch (see au PAY); the rest of its time is the '
      + 'activities\' own work (O-PLUX\'s signed HTTP call, the name normalizer, the database writes)',
  };
}
