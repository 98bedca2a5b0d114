import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { jpy } from '../../amazon-pay/schemas';
import { CANCEL_MANUAL_NEEDED, listAttention } from '../../db/attention';
import { getCancelRecord } from '../../db/order-cancel';
import { insertRecurringParent, listRecurringChildren } from '../../db/amazon-pay-recurring';
import { amazonPayRecurringWorkflow, type RecurringParentInput } from '../../workflows/amazon-pay-recurring';
import { closeParentUpdate } from '../../workflows/amazon-pay-recurring-messages';
import { listDeliveries } from '../../db/order-out';
import { MANUAL_CANCEL_NEEDED_SUBJECT } from '../../mail/order-cancel-mails';
import { orderCancelWorkflow } from '../../workflows/order-cancel';
import { decideProviderFailureUpdate, orderCancelStateQuery, type PaymentRef } from '../../workflows/order-cancel-messages';
import { amazonPayRecurringWorkflowId, orderCancelWorkflowId } from '../../workflows/workflow-ids';
import { BY_TEST } from '../support/acted-by';
import { SHOP_ID } from '../support/au-pay-fixtures';
import { mintChargePermission } from '../support/amazon-pay-fixtures';
import { METHODS, startCancelRig } from '../support/order-cancel-fixtures';
import type { TimeSkippingRig } from '../support/time-skipping-rig';
import { until } from '../support/until';

/**
 * The cancellation through the payment provider interface on the time-skipping server: a captured Amazon Pay charge
 * refunded in full and followed to Refunded (a recurring child's too), a declined refund left to the operator, and a
 * payment method without settings stopping at manual-cancel-needed for the operator.
 */
let rig: TimeSkippingRig;
let env: TestWorkflowEnvironment;
const taskQueue = 'order-cancel-payments-test';

beforeAll(async () => {
  rig = await startCancelRig(taskQueue);
  env = rig.env;
}, 120_000);
afterAll(() => rig?.stop());
beforeEach(() => rig.sandbox.sink.clear());

let n = 0;
const newOrderId = () => `CP-${Date.now()}-${++n}`;
const start = (orderId: string, payment: PaymentRef) =>
  env.client.workflow.start(orderCancelWorkflow, {
    workflowId: orderCancelWorkflowId(SHOP_ID, orderId), taskQueue, args: [{ shopId: SHOP_ID, orderId, source: 'shop-admin', payment }],
  });
const outbox = (orderId: string) => listDeliveries(rig.db.pool, SHOP_ID, { orderId, limit: 10 });
const ledger = (operation: string, chargeId: string) =>
  rig.sandbox.amazonPay.kit.ledger.list({ operation }).filter((e) => e.applied && JSON.stringify(e).includes(chargeId));

/** A captured Amazon Pay charge of `amount` on a new OneTime permission. */
async function capturedCharge(amount: number, key: string) {
  rig.sandbox.amazonPay.kit.clock.set(new Date(await env.currentTimeMs()));
  const chargePermissionId = await mintChargePermission(rig.sandbox, { chargePermissionType: 'OneTime', amount: 30000 });
  const charge = await rig.amazonPay.createCharge({ chargePermissionId, chargeAmount: jpy(amount), captureNow: false }, `${key}-charge`.slice(0, 32));
  await rig.amazonPay.captureCharge(charge.chargeId, { captureAmount: jpy(amount) }, `${key}-capture`.slice(0, 32));
  return { chargePermissionId, chargeId: charge.chargeId };
}

test('Amazon Pay: a captured charge is refunded in full, followed until Refunded (2 hours pending), then the order is canceled and told OUT', async () => {
  const { chargePermissionId, chargeId } = await capturedCharge(5000, `cp-refund-${Date.now()}`);
  await rig.sandbox.control('POST', '/amazon-pay/_sandbox/outcomes', { kind: 'pending', operation: 'createRefund', delayMs: 2 * 3600_000, chargePermissionId });
  const orderId = newOrderId();
  const startedAt = await env.currentTimeMs();
  const handle = await start(orderId, { method: METHODS.amazon, amazonPayChargeId: chargeId });

  const result = await handle.result();
  expect((await env.currentTimeMs()) - startedAt).toBeGreaterThanOrEqual(2 * 3600_000); // it waited for Refunded
  expect(result).toMatchObject({ status: 'canceled', orderStatus: 'キャンセル', providerOutcome: 'refunded', providerFlagged: false, external: 'delivered' });
  expect(result.providerDetail).toMatch(/^Refunded ¥5000 \(/);
  expect(ledger('createRefund', chargeId)).toHaveLength(1); // one refund, whatever the polls
  const charge = await rig.amazonPay.getCharge(chargeId);
  expect(charge.refundedAmount).toMatchObject({ amount: '5000' });
  const [row] = await outbox(orderId);
  expect(row).toMatchObject({ event: 'canceled', status: 'delivered' });
  expect(row!.payload).toMatchObject({ orderStatus: 'キャンセル', providerCancel: 'refunded', providerNeedsManualCancel: false });
  expect(await getCancelRecord(rig.db.pool, SHOP_ID, orderId)).toMatchObject({ status: 'canceled', providerOutcome: 'refunded' });
});

test('Amazon Pay: a declined refund is the operator\'s: the order stays 受注; "canceled by hand" cancels it, not flagged', async () => {
  const { chargePermissionId, chargeId } = await capturedCharge(3000, `cp-decline-${Date.now()}`);
  await rig.sandbox.control('POST', '/amazon-pay/_sandbox/outcomes', { kind: 'decline', operation: 'createRefund', reasonCode: 'ProcessingFailure', chargePermissionId });
  const orderId = newOrderId();
  const handle = await start(orderId, { method: METHODS.amazon, amazonPayChargeId: chargeId });
  await env.sleep('1 hour'); // the refund is Declined after Amazon's refund delay; the saga's next look finds it

  const waiting = await until(async () => {
    const s = await handle.query(orderCancelStateQuery);
    return s.status === 'provider-failed' && s;
  }, 30_000, 100);
  expect(waiting).toMatchObject({ orderStatus: '受注', providerOutcome: 'failed' });
  expect(waiting.providerDetail).toMatch(/Declined \(ProcessingFailure\)/);
  expect(await outbox(orderId)).toHaveLength(0);

  const decided = await handle.executeUpdate(decideProviderFailureUpdate, { args: ['canceled-by-hand', BY_TEST] });
  expect(decided).toMatchObject({ status: 'canceled', orderStatus: 'キャンセル', providerOutcome: 'canceled-by-hand', providerFlagged: false });
  await handle.result();
  const [row] = await outbox(orderId);
  expect(row!.payload).toMatchObject({ providerCancel: 'canceled-by-hand', providerNeedsManualCancel: false });
  expect(await getCancelRecord(rig.db.pool, SHOP_ID, orderId)).toMatchObject({ decision: 'canceled-by-hand', providerFlagged: false });
});

test('a payment method without settings: manual cancel needed, the shop mailed, listed for the operator; nothing canceled until they say', async () => {
  const orderId = newOrderId();
  const handle = await start(orderId, { method: 'no-such-method', gmoPgOrderId: 'ANY-1' });
  const waiting = await until(async () => {
    const s = await handle.query(orderCancelStateQuery);
    return s.status === 'manual-cancel-needed' && s;
  }, 15_000, 100);
  expect(waiting).toMatchObject({ orderStatus: '受注', providerOutcome: 'manual-cancel-needed', providerFlagged: true });
  expect(waiting.providerDetail).toContain('no-such-method');
  expect(await getCancelRecord(rig.db.pool, SHOP_ID, orderId)).toMatchObject({ status: 'manual-cancel-needed', orderStatus: '受注' });
  expect(await outbox(orderId)).toHaveLength(0);
  const mail = await until(() => rig.sandbox.sink.messages().find((m) => m.subject === MANUAL_CANCEL_NEEDED_SUBJECT && m.text.includes(orderId)), 15_000, 100);
  expect(mail!.text).toContain('canceled-by-hand');

  const listed = await listAttention(rig.db.pool, { shopId: SHOP_ID, process: 'cancel', limit: 50 });
  expect(listed.rows.find((r) => r.orderId === orderId)).toMatchObject({ status: CANCEL_MANUAL_NEEDED, actions: ['cancel.decision'] });

  expect(await handle.executeUpdate(decideProviderFailureUpdate, { args: ['canceled-by-hand', BY_TEST] })).toMatchObject({ status: 'canceled', providerOutcome: 'canceled-by-hand' });
  expect(await handle.result()).toMatchObject({ status: 'canceled', external: 'delivered' });
  const after = await listAttention(rig.db.pool, { shopId: SHOP_ID, process: 'cancel', limit: 50 });
  expect(after.rows.find((r) => r.orderId === orderId)).toBeUndefined();
});

test('Amazon Pay recurring: a captured child is refunded like any order, with its own order data OUT row; the parent goes on', async () => {
  const now = await env.currentTimeMs();
  rig.sandbox.amazonPay.kit.clock.set(new Date(now));
  const chargePermissionId = await mintChargePermission(rig.sandbox, { chargePermissionType: 'Recurring', frequency: { unit: 'Month', value: '1' }, amount: 4800 });
  const parentOrderId = `SUBR-${Date.now()}`;
  await insertRecurringParent(rig.db.pool, { shopId: SHOP_ID, parentOrderId, chargePermissionId, amountJpy: 4800, intervalUnit: 'Month', intervalValue: 1 });
  const parent = await env.client.workflow.start(amazonPayRecurringWorkflow, {
    workflowId: amazonPayRecurringWorkflowId(SHOP_ID, parentOrderId), taskQueue,
    args: [{
      shopId: SHOP_ID, parentOrderId, chargePermissionId, captureNow: true, expiryWarningDays: 30,
      plan: { amountJpy: 4800, interval: { unit: 'Month', value: 1 }, firstChargeAt: new Date(now + 3600_000).toISOString() },
    } satisfies RecurringParentInput],
  });
  await env.sleep('2 hours');
  const child = await until(async () => (await listRecurringChildren(rig.db.pool, SHOP_ID, parentOrderId))[0], 15_000, 100);
  expect(child).toMatchObject({ outcome: 'charged', chargeState: 'Captured' });

  const childOrder = `${parentOrderId}-1`;
  const canceled = await (await start(childOrder, { method: METHODS.amazon, amazonPayChargeId: child.chargeId!, recurringRole: 'child' })).result();
  expect(canceled).toMatchObject({ status: 'canceled', providerOutcome: 'refunded', external: 'delivered' });
  expect(canceled.providerDetail).toMatch(/^Refunded ¥4800/);
  const rows = await outbox(childOrder);
  expect(rows).toEqual([expect.objectContaining({ event: 'canceled', status: 'delivered', payload: expect.objectContaining({ orderId: childOrder, providerCancel: 'refunded' }) })]);
  expect((await rig.amazonPay.getChargePermission(chargePermissionId)).statusDetails.state).toBe('Chargeable');
  await parent.executeUpdate(closeParentUpdate, { args: ['test over', BY_TEST] });
  await parent.result();
});
