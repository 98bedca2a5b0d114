import { BY_TEST } from '../support/acted-by';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { getOpluxOrder, listOpluxOutbox } from '../../db/oplux-orders';
import { opluxDatetime } from '../../oplux/signature';
import { opluxFraudReviewWorkflow } from '../../workflows/oplux-fraud-review';
import {
  fraudReviewStateQuery, relinkUpdate, setBlackFlagUpdate, submitManualReviewUpdate, type FraudReviewOrder,
} from '../../workflows/oplux-fraud-review-messages';
import { FRAUD_STATUS, type FraudStatus, type OrderOutControl } from '../../workflows/oplux-review-rules';
import { opluxFraudReviewWorkflowId } from '../../workflows/workflow-ids';
import type { TestDatabase } from '../support/database';
import { NOTIFY_EMAIL, SHOP_ID } from '../support/au-pay-fixtures';
import { OPLUX_ERROR_SUBJECTS } from '../../mail/oplux-error-mail';
import type { TestSandbox } from '../support/sandbox';
import { startTimeSkippingRig, type TimeSkippingRig } from '../support/time-skipping-rig';
import { MODE_SHOPS, newReviewOrder, opluxTestShops, resetOpluxSandbox } from '../support/oplux-fixtures';
import { until } from '../support/until';
import { recordHistory } from '../support/record-history';

/**
 * The O-PLUX fraud review on the time-skipping server: its real activities against the O-PLUX sandbox (its clock
 * following the server's) and PostgreSQL. One of our shops per 受注OUT制御 mode, all on one O-PLUX merchant.
 */
let rig: TimeSkippingRig;
let env: TestWorkflowEnvironment;
let db: TestDatabase;
let sandbox: TestSandbox;
const taskQueue = 'oplux-fraud-review-test';
/** A shop whose O-PLUX account is configured only in the middle of a test. */
const LATE_SHOP = 'shop-late-oplux';
let lateShopConfigured = false;

beforeAll(async () => {
  rig = await startTimeSkippingRig(taskQueue, {
    deps: ({ sandbox: s }) => {
      const shops = opluxTestShops(s, { [MODE_SHOPS.none]: { productKey: 'product-code' } });
      return { opluxShop: (shopId: string) => (shopId === LATE_SHOP && !lateShopConfigured ? undefined : shops(shopId === LATE_SHOP ? SHOP_ID : shopId)) };
    },
  });
  ({ env, db, sandbox } = rig);
});
afterAll(() => rig?.stop());

beforeEach(() => resetOpluxSandbox(sandbox, env));

const started: string[] = [];
const start = (order: FraudReviewOrder) => {
  const workflowId = opluxFraudReviewWorkflowId(order.shopId, order.orderId);
  started.push(workflowId);
  return env.client.workflow.start(opluxFraudReviewWorkflow, { workflowId, taskQueue, args: [order] });
};

// Workflows still waiting are closed the way an operator would (re-link, then a manual NG), one at a time: a
// waiting workflow would let the server jump ahead in later tests, and terminating one leaves the time-skipping lock held.
afterEach(async () => {
  await sandbox.control('DELETE', '/oplux/_sandbox/faults');
  await sandbox.control('POST', '/oplux/_sandbox/settings', { maintenance: false, maintenanceWindows: [] });
  for (const id of started.splice(0)) {
    const handle = env.client.workflow.getHandle(id);
    const { status } = await handle.query(fraudReviewStateQuery).catch(() => ({ status: 'closed' }));
    if (status === FRAUD_STATUS.reviewError || status === FRAUD_STATUS.updateError) await handle.executeUpdate(relinkUpdate, { args: [BY_TEST] }).catch(() => undefined);
    await handle.executeUpdate(submitManualReviewUpdate, { args: [{ result: '20', memo: 'test over' }] }).catch(() => undefined);
    await handle.result().catch(() => undefined);
  }
});

const handleOf = (o: FraudReviewOrder) => env.client.workflow.getHandle(opluxFraudReviewWorkflowId(o.shopId, o.orderId));

/** Waits (in real time; nothing here needs the clock) until the review stands at `status`. */
async function waitForStatus(o: FraudReviewOrder, status: FraudStatus): Promise<void> {
  const handle = handleOf(o);
  await until(async () => (await handle.query(fraudReviewStateQuery)).status === status, 15_000, 50);
}

/**
 * Moves the server's clock on, 15 minutes at a time, until the review stands at `status` (the backoff of 24 attempts
 * is about 2¾ hours of the server's time; the bound is only on the real time spent).
 */
async function skipUntilStatus(o: FraudReviewOrder, status: FraudStatus): Promise<void> {
  const handle = handleOf(o);
  await until(async () => {
    if ((await handle.query(fraudReviewStateQuery)).status === status) return true;
    await env.sleep('15m');
    return false;
  }, 120_000, 0);
}

const script = (...results: Array<{ result: string; rules?: Array<{ code: string; description?: string }> }>) =>
  sandbox.control('POST', '/oplux/_sandbox/next-results', { results });
const registrations = (orderId: string) => sandbox.oplux.kit.ledger.list({ operation: 'registerEvent', orderId });
const row = (o: FraudReviewOrder) => getOpluxOrder(db.pool, o.shopId, o.orderId);
const outbox = (o: FraudReviewOrder) => listOpluxOutbox(db.pool, o.shopId, o.orderId);
const event = (id: string) => sandbox.oplux.detector.events.get(id)!;

test('OK: registered once with device, IP and items, the twelve fields stored, the order released once', async () => {
  const order = newReviewOrder();
  const handle = await start(order);
  const result = await handle.result();
  await recordHistory(handle, 'oplux-fraud-review-ok');
  // recording it ran in its workflow task: only opening it and O-PLUX's call went through the server as activities
  const events = (await handle.fetchHistory()).events ?? [];
  expect(events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [])).toEqual(['openOpluxReview', 'registerOpluxEvent']);

  expect(result).toMatchObject({ status: FRAUD_STATUS.ok, review: 'OK', processingResult: '審査済', released: true });
  const [entry] = registrations(order.orderId);
  expect(registrations(order.orderId)).toHaveLength(1);
  expect(entry!.key).toBe(result.eventId);
  const fields = event(result.eventId!).fields;
  expect(fields).toMatchObject({
    'event.event_id_for_shop': order.orderId, 'event.model_id': 'CRD_01', 'event.device_info': order.deviceInfo,
    'event.ip_address_only': order.ipAddress, 'event.ec.settle.method': '02', 'event.ec.settle.status': '00', 'event.ec.settle.amount': '12800',
    'event.ec.customers.delivery.shipping.items.item0.shop_item_id': 'P-100', // this shop's 商品情報制御: 商品ID
  });
  expect(fields['event.ec.customers.buyer.hashed_name.normalized_last_name']).toMatch(/^[0-9A-F]{40}$/);
  expect(await row(order)).toMatchObject({
    eventId: result.eventId, paymentStatus: '請求前', reviewResult: 'OK', manualResult: null, manualMemo: null, blackFlag: null,
    processingResult: '審査済', browserInfo: order.deviceInfo, ipAddress: order.ipAddress, ruleDescription: null, errorMessage: null,
    relinkKind: null, status: FRAUD_STATUS.ok, modelId: 'CRD_01', orderOutControl: 'ng-review-hold',
  });
  const out = await outbox(order);
  expect(out).toHaveLength(1);
  expect(out[0]).toMatchObject({ event: 'oplux.released', payload: { orderId: order.orderId, opluxEventId: result.eventId, opluxReviewResult: 'OK' } });
});

test('the shop’s product key: 商品コード goes out as 加盟店商品ID', async () => {
  const order = newReviewOrder({ shopId: MODE_SHOPS.none });
  const { eventId } = await (await start(order)).result();
  expect(event(eventId!).fields['event.ec.customers.delivery.shipping.items.item0.shop_item_id']).toBe('TSHIRT-RED-M');
});

test('HOLD, then the operator’s manual OK with a memo: sent to O-PLUX; a second manual review corrects it', async () => {
  await script({ result: 'HOLD', rules: [{ code: 'NEG_ITEM', description: '注意が必要な商品名です' }] });
  const order = newReviewOrder();
  const handle = await start(order);
  await waitForStatus(order, FRAUD_STATUS.awaitingManual);
  expect(await row(order)).toMatchObject({ reviewResult: 'HOLD', ruleDescription: 'NEG_ITEM: 注意が必要な商品名です', processingResult: '審査済' });
  expect(await outbox(order)).toHaveLength(1); // 制御する(NG, REVIEW, 目視NG, 目視HOLD): an auto HOLD is not held back
  await recordHistory(handle, 'oplux-fraud-review-waiting-for-operator'); // open: HOLD, the operator not yet decided

  expect(await handle.executeUpdate(submitManualReviewUpdate, { args: [{ result: '10', memo: '本人確認済み' }] })).toEqual({ accepted: true, status: FRAUD_STATUS.awaitingManual });
  await waitForStatus(order, FRAUD_STATUS.ok);
  const { eventId } = await handle.query(fraudReviewStateQuery);
  expect(event(eventId!)).toMatchObject({ maResult: 'OK', memo: '本人確認済み' });
  expect(await row(order)).toMatchObject({ manualResult: '10', manualMemo: '本人確認済み', processingResult: '更新済', status: FRAUD_STATUS.ok });

  // a correction (issue 13 §2): the second result replaces the first; the release already written stays one
  expect(await handle.executeUpdate(submitManualReviewUpdate, { args: [{ result: '20' }] })).toEqual({ accepted: true, status: FRAUD_STATUS.ok });
  expect((await handle.result()).status).toBe(FRAUD_STATUS.ng);
  await recordHistory(handle, 'oplux-fraud-review-manual-ok-then-corrected-ng');
  expect(event(eventId!)).toMatchObject({ maResult: 'NG' });
  expect(await outbox(order)).toHaveLength(1);
});

test.each<[OrderOutControl, number]>([['none', 1], ['ng-review-hold', 0], ['ng-hold', 1]])(
  'REVIEW, then the operator’s manual NG, in mode %s: %d order data OUT event',
  async (mode, outEvents) => {
    await script({ result: 'REVIEW', rules: [{ code: 'PAID_MOBMAIL' }] });
    const order = newReviewOrder({ shopId: MODE_SHOPS[mode] });
    const handle = await start(order);
    await waitForStatus(order, FRAUD_STATUS.awaitingManual);
    expect(await outbox(order)).toHaveLength(outEvents);

    await handle.executeUpdate(submitManualReviewUpdate, { args: [{ result: '20', memo: '転売の疑い' }] });
    const result = await handle.result();
    expect(result).toMatchObject({ status: FRAUD_STATUS.ng, manualResult: '20', released: outEvents === 1 });
    expect(event(result.eventId!)).toMatchObject({ maResult: 'NG', memo: '転売の疑い' });
    expect(await row(order)).toMatchObject({ status: FRAUD_STATUS.ng, reviewResult: 'REVIEW', manualResult: '20', processingResult: '更新済' });
    expect(await outbox(order)).toHaveLength(outEvents); // a manual NG never releases
  },
);

test('held back by an auto NG, kept back by a manual HOLD, released by the manual OK that follows', async () => {
  await script({ result: 'NG' });
  const order = newReviewOrder({ shopId: MODE_SHOPS['ng-hold'] });
  const handle = await start(order);
  await waitForStatus(order, FRAUD_STATUS.awaitingManual);
  expect(await outbox(order)).toHaveLength(0);

  await handle.executeUpdate(submitManualReviewUpdate, { args: [{ result: '30', memo: '電話確認中' }] });
  await waitForStatus(order, FRAUD_STATUS.manualHold);
  expect(await outbox(order)).toHaveLength(0);

  await handle.executeUpdate(submitManualReviewUpdate, { args: [{ result: '10', memo: '電話で確認済み' }] });
  expect(await handle.result()).toMatchObject({ status: FRAUD_STATUS.ok, released: true });
  const out = await outbox(order);
  expect(out).toHaveLength(1);
  expect(out[0]!.payload).toMatchObject({ opluxReviewResult: 'NG', manualReviewResult: '10', manualReviewMemo: '電話で確認済み' });
  expect(sandbox.oplux.kit.ledger.list({ operation: 'updateEvent', orderId: order.orderId }).map((e) => e.effect)).toEqual(['maResult=30 memo', 'maResult=10 memo']);
});

test('O-PLUX in maintenance for 2 hours: retried with backoff, then registered once', async () => {
  const now = new Date(await env.currentTimeMs());
  sandbox.oplux.kit.clock.set(now);
  const hhmm = (d: Date) => opluxDatetime(d).slice(11, 16);
  await sandbox.control('POST', '/oplux/_sandbox/settings', { maintenanceWindows: [{ from: hhmm(now), to: hhmm(new Date(now.getTime() + 2 * 3600_000)) }] });

  const order = newReviewOrder();
  const result = await (await start(order)).result();

  expect(result).toMatchObject({ status: FRAUD_STATUS.ok, processingResult: '審査済', errorMessage: null });
  const [entry] = registrations(order.orderId);
  expect(registrations(order.orderId)).toHaveLength(1);
  expect(new Date(entry!.at).getTime() - now.getTime()).toBeGreaterThanOrEqual(115 * 60_000); // after the window, not before
  expect((await row(order))?.registerAttempts).toBeGreaterThan(5); // retried through the window, each attempt counted
});

test('retries spent: 審査エラー with the message; the operator’s 手動再連携 registers once', async () => {
  await sandbox.control('POST', '/oplux/_sandbox/faults', { operation: 'registerEvent', kind: 'error', status: 503 });
  const order = newReviewOrder();
  const handle = await start(order);
  await skipUntilStatus(order, FRAUD_STATUS.reviewError);
  expect(await row(order)).toMatchObject({
    status: FRAUD_STATUS.reviewError, processingResult: '審査エラー', relinkKind: '登録', eventId: null,
    errorMessage: expect.stringContaining('HTTP 503'),
  });
  expect(registrations(order.orderId)).toHaveLength(0);
  expect(await outbox(order)).toHaveLength(0); // 制御する: an order not reviewed is held back
  await waitForMail(1);
  expect(sandbox.sink.messages()[0]).toMatchObject({ subject: OPLUX_ERROR_SUBJECTS.審査エラー, to: [NOTIFY_EMAIL] });
  expect(sandbox.sink.messages()[0]!.text).toContain(order.orderId);
  const manual = handle.executeUpdate(submitManualReviewUpdate, { args: [{ result: '10' }] });
  await expect(manual).rejects.toMatchObject({ cause: { message: expect.stringContaining('no manual review is awaited') } });

  await sandbox.control('DELETE', '/oplux/_sandbox/faults');
  expect(await handle.executeUpdate(relinkUpdate, { args: [BY_TEST] })).toEqual({ accepted: true, relinkKind: '登録' });
  const result = await handle.result();
  expect(result).toMatchObject({ status: FRAUD_STATUS.ok, processingResult: '審査済', errorMessage: null, relinkKind: null, released: true });
  expect(registrations(order.orderId)).toHaveLength(1);
  expect(await row(order)).toMatchObject({ status: FRAUD_STATUS.ok, errorMessage: null, relinkKind: null, registerAttempts: 25 }); // 24 spent, 1 re-linked
  expect(await outbox(order)).toHaveLength(1);
}, 180_000);

test('an update whose retries are spent: 更新エラー, refused actions until the 手動再連携 re-sends it', async () => {
  await script({ result: 'REVIEW' });
  const order = newReviewOrder();
  const handle = await start(order);
  await waitForStatus(order, FRAUD_STATUS.awaitingManual);
  await sandbox.control('POST', '/oplux/_sandbox/faults', { operation: 'updateEvent', kind: 'error', status: 500 });
  await handle.executeUpdate(submitManualReviewUpdate, { args: [{ result: '10', memo: 'OK です' }] });
  await skipUntilStatus(order, FRAUD_STATUS.updateError);
  expect(await row(order)).toMatchObject({ processingResult: '更新エラー', relinkKind: '更新', manualResult: '10', errorMessage: expect.stringContaining('HTTP 500') });
  expect(await outbox(order)).toHaveLength(0);
  await waitForMail(1);
  expect(sandbox.sink.messages()[0]!.subject).toBe(OPLUX_ERROR_SUBJECTS.更新エラー);
  const black = handle.executeUpdate(setBlackFlagUpdate, { args: [{ flag: '1' }] });
  await expect(black).rejects.toMatchObject({ cause: { message: expect.stringContaining('手動再連携') } });

  await sandbox.control('DELETE', '/oplux/_sandbox/faults');
  expect(await handle.executeUpdate(relinkUpdate, { args: [BY_TEST] })).toEqual({ accepted: true, relinkKind: '更新' });
  expect(await handle.result()).toMatchObject({ status: FRAUD_STATUS.ok, processingResult: '更新済', released: true });
  expect(sandbox.oplux.kit.ledger.list({ operation: 'updateEvent', orderId: order.orderId })).toHaveLength(1);
  expect(await outbox(order)).toHaveLength(1);
}, 180_000);

test('a registration timing out after O-PLUX applied it: the retry looks the event up and does not register again', async () => {
  await sandbox.control('POST', '/oplux/_sandbox/faults', { operation: 'registerEvent', kind: 'timeout', afterEffect: true, delayMs: 3000, times: 1 });
  const order = newReviewOrder();
  const result = await (await start(order)).result();
  expect(result.status).toBe(FRAUD_STATUS.ok);
  expect(registrations(order.orderId)).toHaveLength(1);
  expect(registrations(order.orderId)[0]!.key).toBe(result.eventId);
});

test('the black flag: the operator blacklists a buyer, the next order of that buyer is NG and held back', async () => {
  const first = newReviewOrder({ email: 'fraudster@example.jp' });
  const handle = await start(first);
  await waitForStatus(first, FRAUD_STATUS.ok);
  await handle.executeUpdate(setBlackFlagUpdate, { args: [{ flag: '1' }] });
  await until(async () => (await row(first))?.blackFlag === '1', 15_000, 50); // the update is accepted, then sent, then recorded
  expect(await row(first)).toMatchObject({ blackFlag: '1', processingResult: '更新済', status: FRAUD_STATUS.ok });
  const { eventId } = await handle.query(fraudReviewStateQuery);
  expect(event(eventId!)).toMatchObject({ blacked: true, blackCustomerType: '10' });
  expect((await handle.result()).blackFlag).toBe('1');

  const second = newReviewOrder({ email: 'fraudster@example.jp' });
  await start(second);
  await waitForStatus(second, FRAUD_STATUS.awaitingManual);
  expect(await row(second)).toMatchObject({ reviewResult: 'NG', ruleDescription: expect.stringContaining('BLK_EMAIL') });
  expect(await outbox(second)).toHaveLength(0);
});

test('not a review target: a cash-on-delivery order of a credit-card-only shop is 対象外 and released', async () => {
  const order = newReviewOrder({ paymentMethodId: 'cod' });
  const result = await (await start(order)).result();
  expect(result).toMatchObject({ status: FRAUD_STATUS.notTarget, processingResult: '対象外', released: true, eventId: null });
  expect(registrations(order.orderId)).toHaveLength(0);
  expect(await outbox(order)).toHaveLength(1);
});

test('a shop without an O-PLUX account: 審査エラー naming the shop; once configured, the 手動再連携 reviews the order', async () => {
  const order = newReviewOrder({ shopId: LATE_SHOP });
  const handle = await start(order);
  await waitForStatus(order, FRAUD_STATUS.reviewError);
  expect(await row(order)).toMatchObject({ processingResult: '審査エラー', relinkKind: '登録', errorMessage: `shop ${LATE_SHOP} has no O-PLUX account configured` });
  lateShopConfigured = true;
  await handle.executeUpdate(relinkUpdate, { args: [BY_TEST] });
  expect(await handle.result()).toMatchObject({ status: FRAUD_STATUS.ok, released: true });
  expect(registrations(order.orderId)).toHaveLength(1);
});

async function waitForMail(n: number): Promise<void> {
  await until(() => sandbox.sink.messages().length >= n, 15_000, 50);
  expect(sandbox.sink.messages()).toHaveLength(n);
}
