import { BY_TEST } from '../support/acted-by';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Duration } from '@temporalio/common';
import { getOpluxOrder } from '../../db/oplux-orders';
import { listDeliveries } from '../../db/order-out';
import type { AccountStore } from '../../db/provider-accounts';
import { HttpError } from '../../api/http-error';
import { operatorChange, tellOpluxOfCancel, tellOpluxOfCharge } from '../../oplux/order-feedback';
import { opluxFraudReviewWorkflow } from '../../workflows/oplux-fraud-review';
import {
  fraudReviewStateQuery, reReportOrderUpdate, setBlackFlagUpdate, submitManualReviewUpdate, type FraudReviewOrder,
} from '../../workflows/oplux-fraud-review-messages';
import { FRAUD_STATUS, type FraudStatus } from '../../workflows/oplux-review-rules';
import { orderOutDeliveryWorkflow } from '../../workflows/order-out-delivery';
import { outboxWrittenSignal } from '../../workflows/order-out-messages';
import { opluxFraudReviewWorkflowId, orderOutDeliveryWorkflowId } from '../../workflows/workflow-ids';
import type { TestDatabase } from '../support/database';
import { NOTIFY_EMAIL, SHOP_ID } from '../support/au-pay-fixtures';
import { connectExternalSystem, testAccounts, writeOutbox } from '../support/order-out-fixtures';
import type { TestSandbox } from '../support/sandbox';
import { startTimeSkippingRig, type TimeSkippingRig } from '../support/time-skipping-rig';
import { MODE_SHOPS, newReviewOrder, opluxTestShops, resetOpluxSandbox } from '../support/oplux-fixtures';
import { until } from '../support/until';
import { cancelGmoPgDeps, lateTemporal, METHODS, setUpCancelShop } from '../support/order-cancel-fixtures';
import { recordHistory } from '../support/record-history';
import { orderCancelWorkflow } from '../../workflows/order-cancel';
import { orderCancelStateQuery } from '../../workflows/order-cancel-messages';
import { orderCancelWorkflowId } from '../../workflows/workflow-ids';

/**
 * What reaches an O-PLUX review from outside its first pass (issue 13 §2), on the time-skipping server with the real
 * activities, the O-PLUX sandbox, PostgreSQL and the external-system emulator: a corrected 目視審査, the black flag
 * after the review ended, a re-report with corrected data at 審査エラー, 受注OUT制御 over the whole order's data OUT,
 * and the payment processes' outcomes and cancellation.
 */
let rig: TimeSkippingRig;
let env: TestWorkflowEnvironment;
let db: TestDatabase;
let sandbox: TestSandbox;
let accounts: AccountStore;
const taskQueue = 'oplux-corrections-test';
const HOLD_SHOP = MODE_SHOPS['ng-hold'];

beforeAll(async () => {
  rig = await startTimeSkippingRig(taskQueue, {
    deps: ({ db: d, sandbox: s }) => {
      accounts = testAccounts(d.pool);
      return {
        opluxShop: opluxTestShops(s), accounts, notifyEmail: () => NOTIFY_EMAIL, gmoPg: cancelGmoPgDeps(s, accounts),
        temporal: lateTemporal(() => rig.env.client, taskQueue),
      };
    },
  });
  ({ env, db, sandbox } = rig);
  // every shop here has an external system: a delivery failing for want of one would wait for an operator without a
  // timer, and the time-skipping server would then leap ten years (its execution timeout) whenever a test awaits a result
  await connectExternalSystem(accounts, sandbox, HOLD_SHOP);
  await connectExternalSystem(accounts, sandbox, SHOP_ID);
  await setUpCancelShop(db.pool, accounts, sandbox, HOLD_SHOP);
});
afterAll(() => rig?.stop());

beforeEach(() => resetOpluxSandbox(sandbox, env));
afterEach(() => sandbox.control('DELETE', '/oplux/_sandbox/faults'));

/**
 * Every review here ends within the test: an hour's grace for the black flag, not 90 days, or none (`0`) for one
 * whose end the test only awaits.
 */
const start = (order: FraudReviewOrder, keepOpenFor: Duration = '1 hour') => env.client.workflow.start(opluxFraudReviewWorkflow, {
  workflowId: opluxFraudReviewWorkflowId(order.shopId, order.orderId), taskQueue, args: [order, { keepOpenFor }],
});
const handleOf = (o: FraudReviewOrder) => env.client.workflow.getHandle(opluxFraudReviewWorkflowId(o.shopId, o.orderId));
const waitForStatus = (o: FraudReviewOrder, status: FraudStatus) =>
  until(async () => (await handleOf(o).query(fraudReviewStateQuery)).status === status, 15_000, 50);
const script = (...results: Array<{ result: string }>) => sandbox.control('POST', '/oplux/_sandbox/next-results', { results });
const row = (o: FraudReviewOrder) => getOpluxOrder(db.pool, o.shopId, o.orderId);
const event = (id: string) => sandbox.oplux.detector.events.get(id)!;
const ledger = (orderId: string, op: RegExp) => sandbox.oplux.kit.ledger.list({ orderId }).filter((e) => op.test(e.operation));
const feedbackDeps = () => ({ db: db.pool, temporal: { client: env.client, taskQueue } });
/** The operator action's path once the review has ended (operators/action-catalog.ts runs the same). */
const actAfterEnd = (o: FraudReviewOrder, change: Parameters<typeof operatorChange>[2]) =>
  operatorChange({ deps: { db: db.pool, temporal: env.client, taskQueue }, shopId: o.shopId, orderId: o.orderId },
    () => (change.kind === 'black'
      ? handleOf(o).executeUpdate(setBlackFlagUpdate, { args: [change, BY_TEST] })
      : handleOf(o).executeUpdate(submitManualReviewUpdate, { args: [change as { result: '10' | '20' | '30' }, BY_TEST] })), change);
const deliveries = async (o: FraudReviewOrder) => (await listDeliveries(db.pool, o.shopId, { orderId: o.orderId, limit: 20 })).reverse();
const received = (orderId: string) => sandbox.externalSystem.receiver.list({ orderId }).filter((d) => d.accepted).map((d) => d.event);
/**
 * The order's rows reach `statuses` (in real time: awaiting a delivery's result while a review waits would let the
 * time-skipping server run the waiting review into its execution timeout).
 */
const heldAs = (o: FraudReviewOrder, statuses: string[]) =>
  until(async () => JSON.stringify((await deliveries(o)).map((d) => d.status)) === JSON.stringify(statuses), 15_000, 50);
const deliver = (o: FraudReviewOrder) => env.client.workflow.signalWithStart(orderOutDeliveryWorkflow, {
  workflowId: orderOutDeliveryWorkflowId(o.shopId, o.orderId), taskQueue, args: [{ shopId: o.shopId, orderId: o.orderId }, { idleFor: '1 minute' }],
  signal: outboxWrittenSignal, signalArgs: [],
});

test('a manual review corrected: the second result replaces the first, goes to O-PLUX with the update API, the status follows', async () => {
  await script({ result: 'REVIEW' });
  const order = newReviewOrder({ shopId: HOLD_SHOP });
  const handle = await start(order);
  await waitForStatus(order, FRAUD_STATUS.awaitingManual);
  await handle.executeUpdate(submitManualReviewUpdate, { args: [{ result: '10', memo: '確認済み' }, BY_TEST] });
  await waitForStatus(order, FRAUD_STATUS.ok);

  expect(await handle.executeUpdate(submitManualReviewUpdate, { args: [{ result: '20', memo: '後日、転売と判明' }, BY_TEST] }))
    .toEqual({ accepted: true, status: FRAUD_STATUS.ok });
  await waitForStatus(order, FRAUD_STATUS.ng);
  const { eventId } = await handle.query(fraudReviewStateQuery);
  expect(event(eventId!)).toMatchObject({ maResult: 'NG', memo: '後日、転売と判明' });
  expect(await row(order)).toMatchObject({ status: FRAUD_STATUS.ng, manualResult: '20', manualMemo: '後日、転売と判明', processingResult: '更新済' });
  expect(ledger(order.orderId, /update/i).map((e) => e.effect)).toEqual(['maResult=10 memo', 'maResult=20 memo']);
  // the workflow's history keeps both
  const history = await handle.fetchHistory();
  const updates = history.events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
  expect(updates).toBe(2);
  expect((await handle.result()).status).toBe(FRAUD_STATUS.ng);
});

test('the black flag and a corrected 目視審査 after the review ended: sent by a short workflow and recorded', async () => {
  await script({ result: 'REVIEW' });
  const order = newReviewOrder();
  const handle = await start(order, 0);
  await waitForStatus(order, FRAUD_STATUS.awaitingManual);
  await handle.executeUpdate(submitManualReviewUpdate, { args: [{ result: '10' }, BY_TEST] });
  expect((await handle.result()).status).toBe(FRAUD_STATUS.ok); // no grace: ended at the decision
  const { eventId } = await handle.query(fraudReviewStateQuery);

  const black = await actAfterEnd(order, { kind: 'black', flag: '1' });
  expect(black).toMatchObject({ accepted: true, reviewEnded: true, status: FRAUD_STATUS.ok });
  expect(await env.client.workflow.getHandle((black as { workflowId: string }).workflowId).result()).toEqual({ sent: true });
  await recordHistory(env.client.workflow.getHandle((black as { workflowId: string }).workflowId), 'oplux-event-update-black-flag');
  expect(event(eventId!)).toMatchObject({ blacked: true, blackCustomerType: '10' });
  expect(await row(order)).toMatchObject({ blackFlag: '1', processingResult: '更新済', status: FRAUD_STATUS.ok });

  const corrected = await actAfterEnd(order, { kind: 'manual', result: '20', memo: '訂正' });
  await env.client.workflow.getHandle((corrected as { workflowId: string }).workflowId).result();
  await recordHistory(env.client.workflow.getHandle((corrected as { workflowId: string }).workflowId), 'oplux-event-update-manual-corrected');
  expect(event(eventId!)).toMatchObject({ maResult: 'NG', memo: '訂正' });
  expect(await row(order)).toMatchObject({ status: FRAUD_STATUS.ng, manualResult: '20', manualMemo: '訂正' });

  // an order decided by O-PLUX alone takes no manual review, ended or not
  const auto = newReviewOrder();
  await (await start(auto, 0)).result();
  await expect(actAfterEnd(auto, { kind: 'manual', result: '20' })).rejects.toMatchObject({ status: 409, message: expect.stringContaining('no manual review is awaited') });
  await expect(actAfterEnd(auto, { kind: 'manual', result: '20' })).rejects.toBeInstanceOf(HttpError);
});

test('審査エラー from bad data: a re-report with corrected data registers again; the same re-report again changes nothing', async () => {
  await sandbox.control('POST', '/oplux/_sandbox/faults', { operation: 'registerEvent', kind: 'error', status: 400, times: 1 });
  const order = newReviewOrder();
  const handle = await start(order);
  await waitForStatus(order, FRAUD_STATUS.reviewError);
  expect(await row(order)).toMatchObject({ relinkKind: '登録', errorMessage: expect.stringContaining('HTTP 400') });

  const corrected = { ...order, buyer: { ...order.buyer, address: { ...order.buyer.address!, street: '神宮前1-2-3 訂正ビル' } } };
  const updateId = 're-report:test';
  expect(await handle.executeUpdate(reReportOrderUpdate, { args: [corrected], updateId })).toEqual({ accepted: true, status: FRAUD_STATUS.reviewError });
  expect(await handle.executeUpdate(reReportOrderUpdate, { args: [corrected], updateId })).toEqual({ accepted: true, status: FRAUD_STATUS.reviewError });
  const result = await handle.result();
  expect(result).toMatchObject({ status: FRAUD_STATUS.ok, processingResult: '審査済' });
  expect(ledger(order.orderId, /register/i).filter((e) => e.applied)).toHaveLength(1);
  expect(event(result.eventId!).fields['event.ec.customers.buyer.address.addressC']).toBe('神宮前1-2-3 訂正ビル');
  expect((await row(order))?.order.buyer.address?.street).toBe('神宮前1-2-3 訂正ビル');

  // after the registration, a re-report is refused with the workflow's words
  const other = { ...corrected, amountJpy: 1 };
  const running = newReviewOrder();
  await (await start(running, 0)).result();
  await expect(handleOf(running).executeUpdate(reReportOrderUpdate, { args: [{ ...other, orderId: running.orderId }] })).rejects.toThrow();
});

test('受注OUT制御 holds the whole order: every process’s rows wait, go out in order on release, and are withheld after a final NG', async () => {
  await script({ result: 'NG' }, { result: 'NG' });
  const released = newReviewOrder({ shopId: HOLD_SHOP });
  const rejected = newReviewOrder({ shopId: HOLD_SHOP });
  const handles = [await start(released, 0), await start(rejected, 0)]; // each ends at its decision: no timer to leap
  await waitForStatus(released, FRAUD_STATUS.awaitingManual);
  await waitForStatus(rejected, FRAUD_STATUS.awaitingManual);
  for (const o of [released, rejected]) {
    await writeOutbox(db.pool, o.shopId, o.orderId, [
      { event: 'amazon-pay.authorized', payload: { orderId: o.orderId } },
      { event: 'au-pay.link-status', payload: { orderId: o.orderId } },
    ]);
    await deliver(o);
    await heldAs(o, ['held', 'held']); // nothing sent while the review holds the order
  }

  await handles[0]!.executeUpdate(submitManualReviewUpdate, { args: [{ result: '30' }, BY_TEST] });
  await waitForStatus(released, FRAUD_STATUS.manualHold);
  await writeOutbox(db.pool, released.shopId, released.orderId, [{ event: 'order-cancel.canceled', payload: { orderId: released.orderId } }]);
  await deliver(released);
  await heldAs(released, ['held', 'held', 'held']);

  await handles[0]!.executeUpdate(submitManualReviewUpdate, { args: [{ result: '10' }, BY_TEST] });
  await until(() => received(released.orderId).length === 4, 15_000, 50); // the release wakes the delivery
  expect(received(released.orderId)).toEqual(['amazon-pay.authorized', 'au-pay.link-status', 'order-cancel.canceled', 'oplux.released']);
  await heldAs(released, ['delivered', 'delivered', 'delivered', 'delivered']);

  await handles[1]!.executeUpdate(submitManualReviewUpdate, { args: [{ result: '20' }, BY_TEST] });
  await waitForStatus(rejected, FRAUD_STATUS.ng);
  await until(async () => (await deliveries(rejected)).every((d) => d.status === 'withheld'), 15_000, 50);
  await writeOutbox(db.pool, rejected.shopId, rejected.orderId, [{ event: 'yahoo.settled', payload: { orderId: rejected.orderId } }]);
  await deliver(rejected);
  await heldAs(rejected, ['withheld', 'withheld', 'withheld']);
  expect(received(rejected.orderId)).toEqual([]);
  await Promise.all(handles.map((h) => h.result()));
});

test('payment outcomes follow to O-PLUX; a cancellation ends a review waiting for 目視審査 and lets its rows go', async () => {
  await script({ result: 'HOLD' });
  const waiting = newReviewOrder({ shopId: HOLD_SHOP });
  const handle = await start(waiting);
  await waitForStatus(waiting, FRAUD_STATUS.awaitingManual);
  await tellOpluxOfCharge(feedbackDeps(), waiting.shopId, waiting.orderId, 'Authorized');
  await until(async () => (await row(waiting))?.paymentStatus === '請求中', 15_000, 50);
  await handle.executeUpdate(submitManualReviewUpdate, { args: [{ result: '30' }, BY_TEST] });
  await waitForStatus(waiting, FRAUD_STATUS.manualHold);
  await writeOutbox(db.pool, waiting.shopId, waiting.orderId, [{ event: 'order-cancel.canceled', payload: { orderId: waiting.orderId } }]);
  await deliver(waiting);
  // released by the auto HOLD (this mode: its row went out at once), held again by the 目視審査HOLD
  await heldAs(waiting, ['delivered', 'held']);

  await tellOpluxOfCancel(feedbackDeps(), waiting.shopId, waiting.orderId);
  await until(async () => (await row(waiting))?.status === FRAUD_STATUS.canceled, 30_000, 50); // in real time, as below
  const result = await handle.result();
  expect(result.status).toBe(FRAUD_STATUS.canceled);
  expect(event(result.eventId!).settleStatus).toBe('99');
  expect(await row(waiting)).toMatchObject({ status: FRAUD_STATUS.canceled, paymentStatus: 'キャンセル' });
  await until(() => received(waiting.orderId).length === 2, 15_000, 50); // the cancellation reaches the shop's system
  expect(received(waiting.orderId)).toEqual(['oplux.released', 'order-cancel.canceled']);
  expect(ledger(waiting.orderId, /update/i).map((e) => e.effect)).toEqual(['settle_status=10', expect.stringMatching(/^maResult=30/), 'settle_status=99']);

  // after the review ended: a capture still reaches O-PLUX
  const ended = newReviewOrder();
  const done = await (await start(ended, 0)).result();
  await tellOpluxOfCharge(feedbackDeps(), ended.shopId, ended.orderId, 'Captured');
  await until(async () => (await row(ended))?.paymentStatus === '支払済', 15_000, 50);
  expect(event(done.eventId!).settleStatus).toBe('20');
  expect((await row(ended))?.status).toBe(FRAUD_STATUS.ok);
});

test('the cancellation process cancels an order waiting for 目視審査: its review ends, O-PLUX is told, the cancel goes out', async () => {
  await script({ result: 'NG' });
  const order = newReviewOrder({ shopId: HOLD_SHOP });
  const review = await start(order);
  await waitForStatus(order, FRAUD_STATUS.awaitingManual); // held back: 制御する(自動審査NG, …)

  const cancel = await env.client.workflow.start(orderCancelWorkflow, {
    workflowId: orderCancelWorkflowId(order.shopId, order.orderId), taskQueue,
    args: [{ shopId: order.shopId, orderId: order.orderId, source: 'shop-admin', payment: { method: METHODS.off } }],
  });
  // in real time: awaiting the review's result while the cancel's activities run would let the time-skipping server
  // leap ahead of them; once the row says キャンセル the review has nothing left to wait for
  await until(async () => (await row(order))?.status === FRAUD_STATUS.canceled, 30_000, 50);
  const ended = await review.result(); // before the cancel's own end: its OUT row waits for the review to let go
  expect(ended.status).toBe(FRAUD_STATUS.canceled);
  expect(event(ended.eventId!).settleStatus).toBe('99');
  expect(await row(order)).toMatchObject({ status: FRAUD_STATUS.canceled, paymentStatus: 'キャンセル' });
  await until(async () => (await cancel.query(orderCancelStateQuery)).orderStatus === 'キャンセル', 15_000, 50);
  // the cancel's OUT row, held with the order until the review let go, reaches the shop's system (the saga's own watch
  // of it polls on timers, not awaited here)
  await until(() => received(order.orderId).length === 1, 15_000, 50);
  expect(received(order.orderId)).toEqual([expect.stringMatching(/cancel/)]);
});
