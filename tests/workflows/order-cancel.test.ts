import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { getCancelRecord, recordProviderOutcome } from '../../db/order-cancel';
import { insertRecurringParent, listRecurringChildren } from '../../db/amazon-pay-recurring';
import { listDeliveries } from '../../db/order-out';
import { PROVIDER_CANCEL_FAILED_SUBJECT, PROVIDER_CANCEL_REMINDER_SUBJECT } from '../../mail/order-cancel-mails';
import { amazonPayRecurringWorkflow, type RecurringParentInput } from '../../workflows/amazon-pay-recurring';
import { closeParentUpdate, recurringStateQuery } from '../../workflows/amazon-pay-recurring-messages';
import { orderCancelWorkflow } from '../../workflows/order-cancel';
import { decideProviderFailureUpdate, orderCancelStateQuery, type OrderCancelInput, type PaymentRef } from '../../workflows/order-cancel-messages';
import { amazonPayRecurringWorkflowId, orderCancelWorkflowId } from '../../workflows/workflow-ids';
import { SHOP_ID } from '../support/au-pay-fixtures';
import { mintChargePermission } from '../support/amazon-pay-fixtures';
import {
  appliedCancels, GMO_SHOP, gmoAuthorize, gmoClient, gmoStatus, METHODS, newGmoOrderId, startCancelRig,
} from '../support/order-cancel-fixtures';
import type { TimeSkippingRig } from '../support/time-skipping-rig';
import { recordHistory } from '../support/record-history';
import { until } from '../support/until';
import { workflowBundle } from '../support/workflow-bundle';

/**
 * The cancellation saga on the time-skipping server with its real activities: the GMO-PG and Amazon Pay emulators,
 * PostgreSQL, and order data OUT delivered by the real delivery workflow to the external-system emulator.
 */
let rig: TimeSkippingRig;
let env: TestWorkflowEnvironment;
const taskQueue = 'order-cancel-test';
const DAY = 86_400_000;

beforeAll(async () => {
  rig = await startCancelRig(taskQueue);
  env = rig.env;
}, 120_000);
afterAll(() => rig?.stop());
beforeEach(async () => {
  await rig.sandbox.control('DELETE', '/external-system/_sandbox/faults');
  rig.sandbox.sink.clear();
});

let n = 0;
const newOrderId = () => `CX-${Date.now()}-${++n}`;
/** noon JST on 10 Nov 2026: a GMO trade's day and month are the JST ones */
const T0 = new Date('2026-11-10T03:00:00Z');

const start = (orderId: string, payment: PaymentRef, o: Partial<OrderCancelInput> = {}) =>
  env.client.workflow.start(orderCancelWorkflow, {
    workflowId: orderCancelWorkflowId(SHOP_ID, orderId), taskQueue,
    args: [{ shopId: SHOP_ID, orderId, source: 'shop-admin', payment, ...o }],
  });
const record = (orderId: string) => getCancelRecord(rig.db.pool, SHOP_ID, orderId);
const outbox = (orderId: string) => listDeliveries(rig.db.pool, SHOP_ID, { orderId, limit: 10 });
const mails = (subject: string, orderId: string) => rig.sandbox.sink.messages().filter((m) => m.subject === subject && m.text.includes(orderId));
const awaitingDecision = (handle: Awaited<ReturnType<typeof start>>) =>
  until(async () => {
    const s = await handle.query(orderCancelStateQuery);
    return s.status === 'provider-failed' && s;
  }, 15_000, 100);

const lock = (trade: string) => rig.sandbox.control('POST', `/gmo-pg/_sandbox/trades/${GMO_SHOP.shopId}/${trade}/lock`, { locked: true });

test('GMO-PG: VOID the same day before capture, RETURN after a capture on a later day; one cancel each, the order canceled and told OUT', async () => {
  // before capture, the same JST day: VOID
  const voidOrder = newOrderId();
  const voidTrade = newGmoOrderId('V');
  await gmoAuthorize(rig.sandbox, voidTrade, T0);
  rig.sandbox.gmoPg.kit.clock.set(new Date(T0.getTime() + 2 * 3600_000));
  const voidHandle = await start(voidOrder, { method: METHODS.gmo, gmoPgOrderId: voidTrade });
  const voided = await voidHandle.result();
  expect(voided).toMatchObject({ status: 'canceled', orderStatus: 'キャンセル', providerOutcome: 'canceled', providerDetail: 'VOID', external: 'delivered', externalError: null });
  // the delivery told the cancel its row's outcome: no poll's timer fired in between
  const events = (await voidHandle.fetchHistory()).events ?? [];
  expect(events.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'outboxSettled')).toHaveLength(1);
  expect(events.filter((e) => e.timerFiredEventAttributes)).toHaveLength(0);
  // its own database steps ran in its workflow tasks: only the provider's cancel went through the server as an activity
  expect(events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [])).toEqual(['paymentCancel']);
  await recordHistory(voidHandle, 'order-cancel-local-steps-told-by-delivery');
  expect(await gmoStatus(rig.sandbox, voidTrade)).toBe('VOID');

  // captured (SALES) the next day, canceled the day after: RETURN (same JST month)
  const returnOrder = newOrderId();
  const returnTrade = newGmoOrderId('R');
  const keys = await gmoAuthorize(rig.sandbox, returnTrade, T0);
  rig.sandbox.gmoPg.kit.clock.set(new Date(T0.getTime() + DAY));
  await gmoClient(rig.sandbox).alterTran({ ...keys, jobCd: 'SALES', amount: 3980 });
  rig.sandbox.gmoPg.kit.clock.set(new Date(T0.getTime() + 2 * DAY));
  const returned = await (await start(returnOrder, { method: METHODS.gmo, gmoPgOrderId: returnTrade })).result();
  expect(returned).toMatchObject({ status: 'canceled', providerOutcome: 'canceled', providerDetail: 'RETURN', external: 'delivered' });
  expect(await gmoStatus(rig.sandbox, returnTrade)).toBe('RETURN');

  for (const [order, trade, jobCd] of [[voidOrder, voidTrade, 'VOID'], [returnOrder, returnTrade, 'RETURN']] as const) {
    expect((await appliedCancels(rig.sandbox, trade)).map((e) => e.effect.split(' ')[2])).toEqual([jobCd]);
    const rows = await outbox(order);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ event: 'canceled', status: 'delivered' });
    expect(rows[0]!.payload).toMatchObject({ orderId: order, orderStatus: 'キャンセル', providerCancel: 'canceled', providerCancelDetail: jobCd });
    expect(await record(order)).toMatchObject({ orderStatus: 'キャンセル', status: 'canceled', externalStatus: 'delivered', externalError: null });
  }
  // the provider step run again after the cancel completed (its local activity reruns when a worker dies before the
  // workflow task completes) changes nothing and does not fail the saga
  const rerun = { shopId: SHOP_ID, orderId: voidOrder, status: 'canceling' as const, outcome: 'canceled' as const, detail: 'VOID', flagged: false };
  await expect(recordProviderOutcome(rig.db.pool, rerun)).resolves.toMatchObject({ status: 'canceled', orderStatus: 'キャンセル' });
});

test('a cancel waiting for its delivery replays as it stands (its local steps, the patches, the wait): a query after a cache eviction, a deploy', async () => {
  await rig.sandbox.control('POST', '/external-system/_sandbox/faults', { operation: 'receive', kind: 'error', status: 500, times: 3 });
  const orderId = newOrderId();
  const trade = newGmoOrderId('W');
  await gmoAuthorize(rig.sandbox, trade, T0);
  const handle = await start(orderId, { method: METHODS.gmo, gmoPgOrderId: trade });
  const open = await until(async () => {
    const history = await handle.fetchHistory();
    return history.events?.some((e) => e.timerStartedEventAttributes) && history; // waiting for its row's outcome
  }, 15_000, 20);
  await Worker.runReplayHistory({ workflowBundle }, open); // throws on a nondeterminism
  expect(await handle.result()).toMatchObject({ status: 'canceled', external: 'delivered' });
});

test('the provider cancel succeeds, then the external system fails after its retries: the order stays canceled and shows the error (#966 b)', async () => {
  const orderId = newOrderId();
  const trade = newGmoOrderId('X');
  await gmoAuthorize(rig.sandbox, trade, T0);
  await rig.sandbox.control('POST', '/external-system/_sandbox/faults', { operation: 'receive', kind: 'error', status: 500, times: 8 });
  const result = await (await start(orderId, { method: METHODS.gmo, gmoPgOrderId: trade })).result();

  expect(result).toMatchObject({ status: 'canceled', orderStatus: 'キャンセル', providerOutcome: 'canceled', external: 'failed' });
  expect(result.externalError).toMatch(/^外部連携エラー: .*HTTP 500/);
  expect(await gmoStatus(rig.sandbox, trade)).toBe('VOID');
  expect(await record(orderId)).toMatchObject({ orderStatus: 'キャンセル', externalStatus: 'failed', externalError: result.externalError });
  const [row] = await outbox(orderId);
  expect(row).toMatchObject({ status: 'failed', attempts: 8 });
});

test('the provider cancel fails: the order stays; "cancel locally only" cancels it here and flags the provider side', async () => {
  const orderId = newOrderId();
  const trade = newGmoOrderId('L');
  await gmoAuthorize(rig.sandbox, trade, T0);
  await lock(trade);
  const handle = await start(orderId, { method: METHODS.gmo, gmoPgOrderId: trade });

  const waiting = await awaitingDecision(handle);
  expect(waiting).toMatchObject({ status: 'provider-failed', orderStatus: '受注', providerOutcome: 'failed' });
  expect(waiting.providerDetail).toMatch(/E01410010/);
  expect(await record(orderId)).toMatchObject({ orderStatus: '受注', status: 'provider-failed' });
  expect(await outbox(orderId)).toHaveLength(0); // nothing else happens yet
  const mail = await until(() => mails(PROVIDER_CANCEL_FAILED_SUBJECT, orderId)[0], 15_000, 100);
  expect(mail!.text).toContain('E01410010');

  const decided = await handle.executeUpdate(decideProviderFailureUpdate, { args: ['cancel-locally'] });
  expect(decided).toMatchObject({ status: 'canceled', orderStatus: 'キャンセル', providerOutcome: 'left-at-provider', providerFlagged: true });
  // a second decision is refused with the reason
  await expect(handle.executeUpdate(decideProviderFailureUpdate, { args: ['leave'] })).rejects.toThrow(WorkflowUpdateFailedError);

  expect(await handle.result()).toMatchObject({ status: 'canceled', external: 'delivered' });
  expect(await gmoStatus(rig.sandbox, trade)).toBe('AUTH'); // the provider side is left as it is
  expect(await appliedCancels(rig.sandbox, trade)).toHaveLength(0);
  expect(await record(orderId)).toMatchObject({ orderStatus: 'キャンセル', decision: 'cancel-locally', providerFlagged: true, externalStatus: 'delivered' });
  const [row] = await outbox(orderId);
  expect(row!.payload).toMatchObject({ orderStatus: 'キャンセル', providerCancel: 'left-at-provider', providerNeedsManualCancel: true });
});

test('no decision for 3 days: a reminder each day and it keeps waiting; "leave it" restores the order', async () => {
  const orderId = newOrderId();
  const trade = newGmoOrderId('W');
  await gmoAuthorize(rig.sandbox, trade, T0);
  await lock(trade);
  const handle = await start(orderId, { method: METHODS.gmo, gmoPgOrderId: trade }, { remindAfterMs: DAY });
  await awaitingDecision(handle);

  await env.sleep('3 days');
  await env.sleep('1 hour');
  const state = await until(async () => {
    const s = await handle.query(orderCancelStateQuery);
    return s.reminders >= 3 && s;
  }, 15_000, 100);
  expect(state).toMatchObject({ status: 'provider-failed', orderStatus: '受注', reminders: 3 });
  const reminders = await until(() => {
    const m = mails(PROVIDER_CANCEL_REMINDER_SUBJECT, orderId);
    return m.length >= 3 && m;
  }, 15_000, 100);
  expect(reminders.map((m) => /リマインド (\d) 回目/.exec(m.text)?.[1])).toEqual(['1', '2', '3']);
  expect(await record(orderId)).toMatchObject({ reminders: 3, orderStatus: '受注' });

  expect(await handle.executeUpdate(decideProviderFailureUpdate, { args: ['leave'] })).toMatchObject({ status: 'left', orderStatus: '受注' });
  expect(await handle.result()).toMatchObject({ status: 'left', orderStatus: '受注', providerOutcome: 'failed' });
  expect(await record(orderId)).toMatchObject({ status: 'left', orderStatus: '受注', decision: 'leave' });
  expect(await outbox(orderId)).toHaveLength(0);
  expect(await gmoStatus(rig.sandbox, trade)).toBe('AUTH');

  // later the trade is unlocked and the order canceled again: a new cycle, its own order OUT row
  await rig.sandbox.control('POST', `/gmo-pg/_sandbox/trades/${GMO_SHOP.shopId}/${trade}/lock`, { locked: false });
  const again = await (await start(orderId, { method: METHODS.gmo, gmoPgOrderId: trade }, { source: 'buyer' })).result();
  expect(again).toMatchObject({ status: 'canceled', providerOutcome: 'canceled', providerDetail: 'VOID', reminders: 0, external: 'delivered' });
  expect(await record(orderId)).toMatchObject({ cycle: 2, decision: null, sources: ['shop-admin', 'buyer'] });
  expect(await outbox(orderId)).toHaveLength(1);
});

test('GMO-PG state unknown: a cancel whose answer is lost (E91020001 after it landed) and one made in the admin screen count as canceled, never twice', async () => {
  const lost = newOrderId();
  const lostTrade = newGmoOrderId('U');
  await gmoAuthorize(rig.sandbox, lostTrade, T0);
  await rig.sandbox.control('POST', '/gmo-pg/_sandbox/errors', { operation: 'AlterTran', errInfo: 'E91020001', afterEffect: true, times: 1 });
  expect(await (await start(lost, { method: METHODS.gmo, gmoPgOrderId: lostTrade })).result()).toMatchObject({ status: 'canceled', providerOutcome: 'canceled', providerDetail: 'VOID' });
  expect(await appliedCancels(rig.sandbox, lostTrade)).toHaveLength(1);

  const admin = newOrderId();
  const adminTrade = newGmoOrderId('A');
  await gmoAuthorize(rig.sandbox, adminTrade, T0);
  await rig.sandbox.control('POST', `/gmo-pg/_sandbox/trades/${GMO_SHOP.shopId}/${adminTrade}/admin-cancel`, {});
  expect(await (await start(admin, { method: METHODS.gmo, gmoPgOrderId: adminTrade })).result()).toMatchObject({ status: 'canceled', providerOutcome: 'already-canceled', providerDetail: 'VOID' });
  expect(await appliedCancels(rig.sandbox, adminTrade)).toHaveLength(0);
});

test('a method without a client reports "manual cancel needed", one without the flag is not linked; a repeated request is harmless', async () => {
  const manual = newOrderId();
  const first = await (await start(manual, { method: METHODS.manual })).result();
  expect(first).toMatchObject({ status: 'canceled', providerOutcome: 'manual-cancel-needed', providerFlagged: true, external: 'delivered' });
  // the buyer's request for the same order after it was canceled: nothing happens again
  const again = await (await env.client.workflow.start(orderCancelWorkflow, {
    workflowId: orderCancelWorkflowId(SHOP_ID, manual), taskQueue,
    args: [{ shopId: SHOP_ID, orderId: manual, source: 'buyer', payment: { method: METHODS.manual } }],
  })).result();
  expect(again).toMatchObject({ status: 'canceled', orderStatus: 'キャンセル' });
  expect(await outbox(manual)).toHaveLength(1);
  expect((await record(manual))!.sources).toEqual(['shop-admin', 'buyer']);

  const off = newOrderId();
  const trade = newGmoOrderId('O');
  await gmoAuthorize(rig.sandbox, trade, T0);
  expect(await (await start(off, { method: METHODS.off, gmoPgOrderId: trade })).result()).toMatchObject({ status: 'canceled', providerOutcome: 'not-linked', providerFlagged: false });
  expect(await gmoStatus(rig.sandbox, trade)).toBe('AUTH');
});

test('Amazon Pay recurring: a child\'s charge is canceled while the parent goes on; a parent\'s cancel touches nothing at Amazon', async () => {
  const now = await env.currentTimeMs();
  rig.sandbox.amazonPay.kit.clock.set(new Date(now));
  const chargePermissionId = await mintChargePermission(rig.sandbox, { chargePermissionType: 'Recurring', frequency: { unit: 'Month', value: '1' }, amount: 4800 });
  const parentOrderId = `SUB-${Date.now()}`;
  const input: RecurringParentInput = {
    shopId: SHOP_ID, parentOrderId, chargePermissionId, captureNow: false, expiryWarningDays: 30,
    plan: { amountJpy: 4800, interval: { unit: 'Month', value: 1 }, firstChargeAt: new Date(now + 3600_000).toISOString() },
  };
  await insertRecurringParent(rig.db.pool, { shopId: SHOP_ID, parentOrderId, chargePermissionId, amountJpy: 4800, intervalUnit: 'Month', intervalValue: 1 });
  const parent = await env.client.workflow.start(amazonPayRecurringWorkflow, { workflowId: amazonPayRecurringWorkflowId(SHOP_ID, parentOrderId), taskQueue, args: [input] });
  await env.sleep('2 hours');
  const child = await until(async () => (await listRecurringChildren(rig.db.pool, SHOP_ID, parentOrderId))[0], 15_000, 100);
  expect(child).toMatchObject({ outcome: 'charged', chargeState: 'Authorized' });

  const childOrder = `${parentOrderId}-1`;
  const canceled = await (await start(childOrder, { method: METHODS.amazon, amazonPayChargeId: child.chargeId!, recurringRole: 'child' })).result();
  expect(canceled).toMatchObject({ status: 'canceled', providerOutcome: 'canceled', providerDetail: 'Canceled', external: 'delivered' });
  expect((await rig.amazonPay.getCharge(child.chargeId!)).statusDetails.state).toBe('Canceled');
  expect((await listRecurringChildren(rig.db.pool, SHOP_ID, parentOrderId))[0]).toMatchObject({ cycle: 1, outcome: 'canceled', chargeState: 'Canceled' });

  // the parent goes on: its permission is still chargeable and the next child is charged a month later
  expect((await rig.amazonPay.getChargePermission(chargePermissionId)).statusDetails.state).toBe('Chargeable');
  await env.sleep('32 days');
  const kids = await until(async () => {
    const k = await listRecurringChildren(rig.db.pool, SHOP_ID, parentOrderId);
    return k.length > 1 && k;
  }, 15_000, 100);
  expect(kids[1]).toMatchObject({ outcome: 'charged', chargeState: 'Authorized' });
  expect((await parent.query(recurringStateQuery)).status).toBe('active');

  // the parent order's cancel: nothing is sent to Amazon (closed only by the merchant's close)
  const parentCancel = await (await start(parentOrderId, { method: METHODS.amazon, recurringRole: 'parent' })).result();
  expect(parentCancel).toMatchObject({ status: 'canceled', providerOutcome: 'recurring-parent' });
  expect((await rig.amazonPay.getChargePermission(chargePermissionId)).statusDetails.state).toBe('Chargeable');
  await parent.executeUpdate(closeParentUpdate, { args: ['test over'] });
  await parent.result();
});
