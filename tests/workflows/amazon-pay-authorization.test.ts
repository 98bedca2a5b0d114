import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { getAmazonPayOrder, insertAuthorizationOrder, listOutbox } from '../../db/amazon-pay-orders';
import { AMAZON_PAY_SUBJECTS } from '../../mail/amazon-pay-mails';
import { amazonPayAuthorizationWorkflow } from '../../workflows/amazon-pay-authorization';
import { authorizationStateQuery, chargeNotifiedSignal } from '../../workflows/amazon-pay-authorization-messages';
import { amazonPayReviewReportWorkflow } from '../../workflows/amazon-pay-review-report';
import type { AuthorizationRequest } from '../../workflows/amazon-pay-review';
import { amazonPayAuthorizationWorkflowId, orderCancelWorkflowId } from '../../workflows/workflow-ids';
import { orderCancelStateQuery } from '../../workflows/order-cancel-messages';
import { orderCancelWorkflow } from '../../workflows/order-cancel';
import { getCancelRecord, putPaymentMethodSetting } from '../../db/order-cancel';
import { until } from '../support/until';
import { sleepClearOfTimers } from '../support/time-skip';
import { recordHistory } from '../support/record-history';
import { NOTIFY_EMAIL, SHOP_ID } from '../support/au-pay-fixtures';
import { amazonPayTestClient, mintChargePermission } from '../support/amazon-pay-fixtures';
import type { TestDatabase } from '../support/database';
import type { TestSandbox } from '../support/sandbox';
import { startTimeSkippingRig, type TimeSkippingRig } from '../support/time-skipping-rig';
import type { AmazonPayClient } from '../../amazon-pay/client-types';

/**
 * Amazon Pay 非同期オーソリ on the time-skipping server: the real activities against the Amazon Pay sandbox (its
 * clock following the server's), PostgreSQL and the SMTP sink.
 */
let rig: TimeSkippingRig;
let env: TestWorkflowEnvironment;
let db: TestDatabase;
let sandbox: TestSandbox;
let client: AmazonPayClient;
const taskQueue = 'amazon-pay-authorization-test';

beforeAll(async () => {
  rig = await startTimeSkippingRig(taskQueue);
  ({ env, db, sandbox, amazonPay: client } = rig);
});
afterAll(() => rig?.stop());

beforeEach(async () => {
  await sandbox.control('POST', '/amazon-pay/_sandbox/reset');
  amazonPayTestClient(sandbox);
  sandbox.sink.clear();
});

let n = 0;
async function newOrder(o: Partial<AuthorizationRequest> = {}, pending = true): Promise<AuthorizationRequest> {
  n += 1;
  sandbox.amazonPay.kit.clock.set(new Date(await env.currentTimeMs())); // the checkout happens at the server's now
  const chargePermissionId = await mintChargePermission(sandbox, { chargePermissionType: 'OneTime', amount: 50000 });
  if (pending) {
    // Amazon's review takes hours: pending until the test resolves it.
    await sandbox.control('POST', '/amazon-pay/_sandbox/outcomes', { kind: 'pending', operation: 'createCharge', chargePermissionId, delayMs: 3 * 86_400_000 });
  }
  const req: AuthorizationRequest = {
    shopId: SHOP_ID, orderId: `AP-${Date.now()}-${n}`, chargePermissionId, amountJpy: 12800, captureOnAuthorization: false, cancelOnDecline: false, ...o,
  };
  await insertAuthorizationOrder(db.pool, req);
  return req;
}

const start = (req: AuthorizationRequest) =>
  env.client.workflow.start(amazonPayAuthorizationWorkflow, {
    workflowId: amazonPayAuthorizationWorkflowId(req.shopId, req.orderId), taskQueue, args: [req, { checkEvery: '1 hour', giveUpAfter: '25 hours' }],
  });

/** The charge the workflow created (in real time: its first activity). */
const chargeIdOf = (handle: Awaited<ReturnType<typeof start>>): Promise<string> =>
  until(async () => (await handle.query(authorizationStateQuery)).chargeId, 15_000, 50);

const resolve = (chargeId: string, state: string, reasonCode?: string) =>
  sandbox.control('POST', `/amazon-pay/_sandbox/charges/${chargeId}/resolve`, { state, ...(reasonCode ? { reasonCode } : {}) });

const reviewRows = async (orderId: string) =>
  (await db.pool.query(`SELECT outcome, state, message FROM amazon_pay_review_results WHERE shop_id = $1 AND order_id = $2`, [SHOP_ID, orderId])).rows;

test('approved after 20 hours, told by an IPN: 審査完了 and the authorization date, then one order data OUT with them', async () => {
  const req = await newOrder();
  const handle = await start(req);
  const chargeId = await chargeIdOf(handle);
  expect((await getAmazonPayOrder(db.pool, SHOP_ID, req.orderId))?.paymentStatus).toBe('審査中');

  await sleepClearOfTimers(env, handle, '20 hours'); // an IPN is sent next
  await resolve(chargeId, 'Authorized');
  await handle.signal(chargeNotifiedSignal, { chargeId });
  const result = await handle.result();

  expect(result).toEqual({ paymentStatus: '審査完了', chargeState: 'Authorized', reasonCode: null });
  const order = await getAmazonPayOrder(db.pool, SHOP_ID, req.orderId);
  expect(order).toMatchObject({ paymentStatus: '審査完了', creditStatus: 'Authorized', chargeId });
  expect(order?.authorizationDate).not.toBeNull();
  const outbox = await listOutbox(db.pool, SHOP_ID, req.orderId);
  expect(outbox).toHaveLength(1);
  expect(outbox[0]).toMatchObject({ event: 'amazon-pay.authorized', payload: { paymentStatus: '審査完了', creditStatus: 'Authorized' } });
  expect(outbox[0]!.payload.authorizationDate).not.toBeNull(); // written with the updated values (#1319)
  expect((await handle.query(authorizationStateQuery)).checks).toBeGreaterThanOrEqual(19); // it kept looking every hour
  expect(await reviewRows(req.orderId)).toEqual([{ outcome: 'OK', state: 'Authorized', message: null }]);
  expect(sandbox.sink.messages()).toHaveLength(0);
});

test('an IPN lost: the hourly check finds the result', async () => {
  const req = await newOrder();
  const handle = await start(req);
  const chargeId = await chargeIdOf(handle);
  await env.sleep('3 hours');
  await recordHistory(handle, 'amazon-pay-authorization-waiting-for-review'); // open: still checking every hour
  await resolve(chargeId, 'Authorized'); // no IPN follows
  expect((await handle.result()).paymentStatus).toBe('審査完了');
});

test('duplicate IPNs: one result, one order data OUT, one review row', async () => {
  const req = await newOrder();
  const handle = await start(req);
  const chargeId = await chargeIdOf(handle);
  await resolve(chargeId, 'Authorized');
  for (let i = 0; i < 3; i++) await handle.signal(chargeNotifiedSignal, { chargeId });
  await handle.result();
  await recordHistory(handle, 'amazon-pay-authorization-approved-duplicate-ipns');
  expect(await listOutbox(db.pool, SHOP_ID, req.orderId)).toHaveLength(1);
  expect(await reviewRows(req.orderId)).toHaveLength(1);
});

test('capture on authorization (オーソリ時確定フラグ): captured, and the Captured values go out after the authorization', async () => {
  const req = await newOrder({ captureOnAuthorization: true });
  const handle = await start(req);
  const chargeId = await chargeIdOf(handle);
  await resolve(chargeId, 'Authorized');
  await handle.signal(chargeNotifiedSignal, { chargeId });
  expect((await handle.result()).chargeState).toBe('Captured');
  const outbox = await listOutbox(db.pool, SHOP_ID, req.orderId);
  expect(outbox.map((o) => o.event)).toEqual(['amazon-pay.authorized', 'amazon-pay.captured']);
  expect(outbox[1]!.payload).toMatchObject({ creditStatus: 'Captured', referenceNumber: chargeId });
  expect(outbox[1]!.payload.authorizationFixedDate).not.toBeNull();
  const captures = sandbox.amazonPay.kit.ledger.list({ operation: 'captureCharge' }).filter((e) => e.applied);
  expect(captures).toHaveLength(1);
});

test('declined: 審査NG, the authorization-failure mail, the order marked for cancel per the setting', async () => {
  // a payment method with settings (one without stops at manual-cancel-needed, #696); a declined charge has nothing to cancel
  await putPaymentMethodSetting(db.pool, { shopId: SHOP_ID, paymentMethod: 'amazon-pay-ng', provider: 'amazon-pay', cancelApi: false, amountChangeApi: false, autoCancelOnNg: false });
  const req = await newOrder({ cancelOnDecline: true, paymentMethod: 'amazon-pay-ng' });
  const handle = await start(req);
  const chargeId = await chargeIdOf(handle);
  await resolve(chargeId, 'Declined', 'HardDeclined');
  await handle.signal(chargeNotifiedSignal, { chargeId });
  expect(await handle.result()).toEqual({ paymentStatus: '審査NG', chargeState: 'Declined', reasonCode: 'HardDeclined' });
  expect(await getAmazonPayOrder(db.pool, SHOP_ID, req.orderId)).toMatchObject({ paymentStatus: '審査NG', cancelRequested: true });
  const [mail] = sandbox.sink.messages();
  expect(mail).toMatchObject({ subject: AMAZON_PAY_SUBJECTS.authorizationFailure, to: [NOTIFY_EMAIL] });
  expect(mail!.text).toContain(req.orderId);

  // 与信NG時自動受注取消 (#187): the order's cancellation saga runs on its own, under the order's cancel id
  const cancel = env.client.workflow.getHandle(orderCancelWorkflowId(SHOP_ID, req.orderId));
  const state = await until(async () => {
    const s = await cancel.query(orderCancelStateQuery).catch(() => undefined);
    return s?.orderStatus === 'キャンセル' ? s : undefined;
  });
  expect(state.providerOutcome).not.toBe('failed');
  expect(await getCancelRecord(db.pool, SHOP_ID, req.orderId)).toMatchObject({ sources: ['authorization-ng'], orderStatus: 'キャンセル' });
});

test('a synchronous decline: no charge, 審査NG at once', async () => {
  const req = await newOrder({}, false);
  await sandbox.control('POST', '/amazon-pay/_sandbox/outcomes', { kind: 'decline', operation: 'createCharge', chargePermissionId: req.chargePermissionId, reasonCode: 'SoftDeclined' });
  expect(await (await start(req)).result()).toEqual({ paymentStatus: '審査NG', chargeState: 'Declined', reasonCode: 'SoftDeclined' });
  // neither the request nor the payment method asks for an automatic cancel: none starts
  await expect(env.client.workflow.getHandle(orderCancelWorkflowId(SHOP_ID, req.orderId)).describe()).rejects.toThrow(/not found/i);
});

test('a payment method set to 与信NG時自動受注取消 cancels the order on a decline, without the request asking', async () => {
  await putPaymentMethodSetting(db.pool, { shopId: SHOP_ID, paymentMethod: 'amazon-pay-auto', provider: 'amazon-pay', cancelApi: true, amountChangeApi: false, autoCancelOnNg: true });
  const req = await newOrder({ paymentMethod: 'amazon-pay-auto' }, false);
  await sandbox.control('POST', '/amazon-pay/_sandbox/outcomes', { kind: 'decline', operation: 'createCharge', chargePermissionId: req.chargePermissionId, reasonCode: 'HardDeclined' });
  expect((await (await start(req)).result()).paymentStatus).toBe('審査NG');
  const record = await until(async () => {
    const r = await getCancelRecord(db.pool, SHOP_ID, req.orderId);
    return r?.orderStatus === 'キャンセル' ? r : undefined;
  });
  // a synchronous decline made no charge: nothing to cancel at Amazon
  expect(record).toMatchObject({ sources: ['authorization-ng'], providerOutcome: 'not-charged' });
});

test('canceled at Amazon before the result (#1352): 審査完了, the ERROR list, a mail naming the order', async () => {
  const req = await newOrder();
  const handle = await start(req);
  const chargeId = await chargeIdOf(handle);
  await resolve(chargeId, 'Canceled');
  await handle.signal(chargeNotifiedSignal, { chargeId });
  expect((await handle.result()).paymentStatus).toBe('審査完了');
  expect(await reviewRows(req.orderId)).toEqual([{ outcome: 'ERROR', state: 'Canceled', message: 'Canceled' }]);
  const [mail] = sandbox.sink.messages();
  expect(mail!.text).toContain('予期せぬステータスを取得しました');
  expect(mail!.text).toContain(`受注番号:${req.orderId}`);
});

test("renkei canceling its own order under review is not an unexpected Canceled: 審査完了 without the mail or the ERROR list", async () => {
  await putPaymentMethodSetting(db.pool, { shopId: SHOP_ID, paymentMethod: 'amazon-pay-own', provider: 'amazon-pay', cancelApi: true, amountChangeApi: false, autoCancelOnNg: false });
  const req = await newOrder({ paymentMethod: 'amazon-pay-own' });
  const handle = await start(req);
  const chargeId = await chargeIdOf(handle);
  sandbox.sink.clear();

  // The shop cancels the order while Amazon still reviews it: renkei's cancellation cancels the charge at Amazon.
  await env.client.workflow.start(orderCancelWorkflow, {
    workflowId: orderCancelWorkflowId(SHOP_ID, req.orderId), taskQueue,
    args: [{ shopId: SHOP_ID, orderId: req.orderId, source: 'shop-admin', payment: { method: 'amazon-pay-own', amazonPayChargeId: chargeId } }],
  });
  await until(async () => ((await client.getCharge(chargeId)).statusDetails.state === 'Canceled' ? true : undefined));
  await handle.signal(chargeNotifiedSignal, { chargeId }); // Amazon's IPN for the cancel

  expect(await handle.result()).toMatchObject({ paymentStatus: '審査完了', chargeState: 'Canceled' });
  expect(await getAmazonPayOrder(db.pool, SHOP_ID, req.orderId)).toMatchObject({ paymentStatus: '審査完了', creditStatus: 'Canceled', lastError: null });
  expect(await reviewRows(req.orderId)).toEqual([]);
  expect(sandbox.sink.messages().filter((m) => m.text.includes('予期せぬステータス'))).toEqual([]);
});

test('an unexpected Captured (captured in Seller Central meanwhile) goes to the ERROR list, and the report says so', async () => {
  await db.pool.query('UPDATE amazon_pay_review_results SET reported_at = now()'); // earlier tests' results are not this report's
  const ok = await newOrder();
  const okHandle = await start(ok);
  await resolve(await chargeIdOf(okHandle), 'Authorized');
  await okHandle.result();

  const req = await newOrder();
  const handle = await start(req);
  const chargeId = await chargeIdOf(handle);
  await resolve(chargeId, 'Authorized');
  await client.captureCharge(chargeId, { captureAmount: { amount: '12800', currencyCode: 'JPY' } }, 'sellercentralcapture1');
  await env.sleep('2 hours');
  expect(await handle.result()).toMatchObject({ paymentStatus: '審査完了', chargeState: 'Captured' });
  expect(await listOutbox(db.pool, SHOP_ID, req.orderId)).toEqual([]);

  sandbox.sink.clear();
  const report = await env.client.workflow.execute(amazonPayReviewReportWorkflow, { workflowId: `report-${n}`, taskQueue, args: [SHOP_ID] });
  expect(report).toEqual({ ok: 1, errors: 1 });
  await recordHistory(env.client.workflow.getHandle(`report-${n}`), 'amazon-pay-review-report-ok-and-error');
  const [mail] = sandbox.sink.messages();
  expect(mail!.subject).toBe(AMAZON_PAY_SUBJECTS.reviewReport);
  expect(mail!.text).toContain('OKList: 1件');
  expect(mail!.text).toContain('ERRORList: 1件');
  expect(mail!.text).toContain(`受注番号:${req.orderId}`);
  // Nothing new: no mail.
  expect(await env.client.workflow.execute(amazonPayReviewReportWorkflow, { workflowId: `report-${n}-again`, taskQueue, args: [SHOP_ID] })).toEqual({ ok: 0, errors: 0 });
  expect(sandbox.sink.messages()).toHaveLength(1);
});
