import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { insertAuthorizationOrder } from '../../db/amazon-pay-orders';
import { insertRecurringParent } from '../../db/amazon-pay-recurring';
import { reopenFailed } from '../../db/order-out';
import { wakeOrderOutDelivery } from '../../order-out/wake-delivery';
import { amazonPayAuthorizationWorkflow } from '../../workflows/amazon-pay-authorization';
import { authorizationStateQuery, chargeNotifiedSignal } from '../../workflows/amazon-pay-authorization-messages';
import { amazonPayRecurringWorkflow, type RecurringParentInput } from '../../workflows/amazon-pay-recurring';
import { closeParentUpdate } from '../../workflows/amazon-pay-recurring-messages';
import type { AuthorizationRequest } from '../../workflows/amazon-pay-review';
import { orderAmountChangeWorkflow } from '../../workflows/order-amount-change';
import { orderCancelWorkflow } from '../../workflows/order-cancel';
import { decideProviderFailureUpdate, type PaymentRef } from '../../workflows/order-cancel-messages';
import { outboxWrittenSignal } from '../../workflows/order-out-messages';
import {
  AMAZON_PAY_REVIEW_STATUS, AMOUNT_CHANGE_STATUS, ORDER_CANCEL_STATUS, ORDER_ID, ORDER_OUT_STATUS, RECURRING_EXPIRES_AT,
  RECURRING_NEXT_CHARGE_AT, RECURRING_STATUS, SHOP_ID as SHOP_ID_KEY,
} from '../../workflows/search-attributes';
import {
  amazonPayAuthorizationWorkflowId, amazonPayRecurringWorkflowId, orderAmountChangeWorkflowId, orderCancelWorkflowId, orderOutDeliveryWorkflowId,
} from '../../workflows/workflow-ids';
import { SHOP_ID } from '../support/au-pay-fixtures';
import { amazonPayTestClient, mintChargePermission } from '../support/amazon-pay-fixtures';
import { GMO_SHOP, gmoAuthorize, METHODS, newGmoOrderId, startCancelRig } from '../support/order-cancel-fixtures';
import { writeOutbox } from '../support/order-out-fixtures';
import type { TimeSkippingRig } from '../support/time-skipping-rig';
import { until } from '../support/until';

/**
 * The Web UI's filters (issue 14 §2): each order process shows ShopId, OrderId and its own status as search
 * attributes, kept up to date by the workflow at each status change. The time-skipping server has no visibility list,
 * so the attributes are read from describe(). Every workflow here starts WITHOUT attributes (order OUT excepted, whose
 * start site is under test too), so what is seen is the workflow's own upsert.
 */
let rig: TimeSkippingRig;
let env: TestWorkflowEnvironment;
const taskQueue = 'search-attributes-test';
const DAY = 86_400_000;

beforeAll(async () => {
  rig = await startCancelRig(taskQueue);
  env = rig.env;
}, 120_000);
afterAll(() => rig?.stop());
beforeEach(async () => {
  await rig.sandbox.control('POST', '/amazon-pay/_sandbox/reset');
  amazonPayTestClient(rig.sandbox); // the reset forgot the test key
  await rig.sandbox.control('DELETE', '/external-system/_sandbox/faults');
});

let n = 0;
const newOrderId = (prefix: string) => `${prefix}-${Date.now()}-${++n}`;

/** renkei's search attributes of the workflow as the server has them now (not Temporal's own, e.g. TemporalChangeVersion). */
async function attributesOf(handle: WorkflowHandle): Promise<Record<string, unknown>> {
  const d = await handle.describe();
  return Object.fromEntries(d.typedSearchAttributes.getAll().filter((p) => !p.key.name.startsWith('Temporal'))
    .map((p) => [p.key.name, p.value instanceof Date ? p.value.toISOString() : p.value]));
}
/** Waits until the server shows `value` for `key` (the upsert is recorded with the workflow task that made it). */
const showing = (handle: WorkflowHandle, key: { name: string }, value: string) =>
  until(async () => {
    const a = await attributesOf(handle);
    return a[key.name] === value && a;
  }, 15_000, 100);

test('the Amazon Pay review shows AmazonPayReviewStatus 審査NG (and its order) once the decline is stored', async () => {
  rig.sandbox.amazonPay.kit.clock.set(new Date(await env.currentTimeMs()));
  const chargePermissionId = await mintChargePermission(rig.sandbox, { chargePermissionType: 'OneTime', amount: 50000 });
  await rig.sandbox.control('POST', '/amazon-pay/_sandbox/outcomes', { kind: 'pending', operation: 'createCharge', chargePermissionId, delayMs: 3 * DAY });
  const req: AuthorizationRequest = {
    shopId: SHOP_ID, orderId: newOrderId('SA-AP'), chargePermissionId, amountJpy: 12800, captureOnAuthorization: false, cancelOnDecline: false,
  };
  await insertAuthorizationOrder(rig.db.pool, req);
  const handle = await env.client.workflow.start(amazonPayAuthorizationWorkflow, {
    workflowId: amazonPayAuthorizationWorkflowId(SHOP_ID, req.orderId), taskQueue, args: [req, { checkEvery: '1 hour', giveUpAfter: '25 hours' }],
  });
  const chargeId = await until(async () => (await handle.query(authorizationStateQuery)).chargeId, 15_000, 50);
  expect(await attributesOf(handle)).toEqual({}); // under review: nothing changed since the (bare) start

  await rig.sandbox.control('POST', `/amazon-pay/_sandbox/charges/${chargeId}/resolve`, { state: 'Declined', reasonCode: 'HardDeclined' });
  await handle.signal(chargeNotifiedSignal, { chargeId });
  expect((await handle.result()).paymentStatus).toBe('審査NG');
  expect(await attributesOf(handle)).toEqual({ ShopId: SHOP_ID, OrderId: req.orderId, [AMAZON_PAY_REVIEW_STATUS.name]: '審査NG' });
});

test('the recurring parent shows RecurringStatus, its expiry and its next child, moved on at each charge and at the close', async () => {
  const now = await env.currentTimeMs();
  rig.sandbox.amazonPay.kit.clock.set(new Date(now));
  const chargePermissionId = await mintChargePermission(rig.sandbox, {
    chargePermissionType: 'Recurring', frequency: { unit: 'Month', value: '1' }, amount: 9800,
  });
  const input: RecurringParentInput = {
    shopId: SHOP_ID, parentOrderId: newOrderId('SA-SUB'), chargePermissionId, captureNow: true, expiryWarningDays: 30,
    plan: { amountJpy: 9800, interval: { unit: 'Month', value: 1 }, firstChargeAt: new Date(now + 60 * 60 * 1000).toISOString() },
  };
  await insertRecurringParent(rig.db.pool, {
    shopId: SHOP_ID, parentOrderId: input.parentOrderId, chargePermissionId, amountJpy: 9800, intervalUnit: 'Month', intervalValue: 1,
  });
  const handle = await env.client.workflow.start(amazonPayRecurringWorkflow, {
    workflowId: amazonPayRecurringWorkflowId(SHOP_ID, input.parentOrderId), taskQueue, args: [input],
  });
  const first = await showing(handle, RECURRING_NEXT_CHARGE_AT, input.plan.firstChargeAt);
  expect(first).toMatchObject({ ShopId: SHOP_ID, OrderId: input.parentOrderId, [RECURRING_STATUS.name]: 'active' });
  const firstExpiry = Date.parse(first[RECURRING_EXPIRES_AT.name] as string);
  expect(Math.round((firstExpiry - now) / DAY)).toBeGreaterThanOrEqual(393); // 13 months from the start

  await env.sleep('40 days'); // two children charged: the next one and the expiry moved on
  const later = await attributesOf(handle);
  expect(Date.parse(later[RECURRING_NEXT_CHARGE_AT.name] as string)).toBeGreaterThan(Date.parse(input.plan.firstChargeAt) + 50 * DAY);
  expect(Date.parse(later[RECURRING_EXPIRES_AT.name] as string)).toBeGreaterThan(firstExpiry + 30 * DAY);

  await handle.executeUpdate(closeParentUpdate, { args: ['会員退会'] });
  await handle.result();
  expect(await attributesOf(handle)).toMatchObject({ [RECURRING_STATUS.name]: 'closed' });
}, 120_000);

test('the cancellation shows OrderCancelStatus provider-failed while the operator decides, then left', async () => {
  const orderId = newOrderId('SA-CX');
  const trade = newGmoOrderId('S');
  await gmoAuthorize(rig.sandbox, trade, new Date('2026-11-10T03:00:00Z'));
  await rig.sandbox.control('POST', `/gmo-pg/_sandbox/trades/${GMO_SHOP.shopId}/${trade}/lock`, { locked: true });
  const payment: PaymentRef = { method: METHODS.gmo, gmoPgOrderId: trade };
  const handle = await env.client.workflow.start(orderCancelWorkflow, {
    workflowId: orderCancelWorkflowId(SHOP_ID, orderId), taskQueue, args: [{ shopId: SHOP_ID, orderId, source: 'shop-admin', payment }],
  });
  expect(await showing(handle, ORDER_CANCEL_STATUS, 'provider-failed')).toEqual({ ShopId: SHOP_ID, OrderId: orderId, [ORDER_CANCEL_STATUS.name]: 'provider-failed' });

  await handle.executeUpdate(decideProviderFailureUpdate, { args: ['leave'] });
  await handle.result();
  expect(await attributesOf(handle)).toMatchObject({ [ORDER_CANCEL_STATUS.name]: 'left' });
});

test('the amount change shows AmountChangeStatus with its outcome', async () => {
  const orderId = newOrderId('SA-AMT');
  const handle = await env.client.workflow.start(orderAmountChangeWorkflow, {
    workflowId: orderAmountChangeWorkflowId(SHOP_ID, orderId, 2000), taskQueue,
    args: [{ shopId: SHOP_ID, orderId, payment: { method: METHODS.off, gmoPgOrderId: newGmoOrderId('A') }, amountJpy: 2000 }],
  });
  expect(await handle.result()).toMatchObject({ outcome: 'not-linked' });
  expect(await attributesOf(handle)).toEqual({ ShopId: SHOP_ID, OrderId: orderId, [AMOUNT_CHANGE_STATUS.name]: 'not-linked' });
});

test('order data OUT shows OrderOutStatus pending from its start, failed while a row holds the rest, delivered once redelivered', async () => {
  const orderId = newOrderId('SA-OUT');
  const [first] = await writeOutbox(rig.db.pool, SHOP_ID, orderId, [{ event: 'authorized', payload: { orderId } }]);
  await rig.sandbox.control('POST', '/external-system/_sandbox/faults', { operation: 'receive', kind: 'error', status: 500, times: 8 });
  await wakeOrderOutDelivery({ client: env.client, taskQueue }, SHOP_ID, orderId); // the processes' one start site
  const handle = env.client.workflow.getHandle(orderOutDeliveryWorkflowId(SHOP_ID, orderId));
  expect(await attributesOf(handle)).toMatchObject({ ShopId: SHOP_ID, OrderId: orderId, [ORDER_OUT_STATUS.name]: 'pending' });

  await env.sleep('1 hour'); // 8 attempts spend the retries
  await showing(handle, ORDER_OUT_STATUS, 'failed');

  await reopenFailed(rig.db.pool, SHOP_ID, first!);
  await handle.signal(outboxWrittenSignal);
  expect(await showing(handle, ORDER_OUT_STATUS, 'delivered')).toMatchObject({ [SHOP_ID_KEY.name]: SHOP_ID, [ORDER_ID.name]: orderId });
});
