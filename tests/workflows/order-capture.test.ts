import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { jpy } from '../../amazon-pay/schemas';
import { applyPaymentUpdate, getAmazonPayOrder, insertAuthorizationOrder, listOutbox } from '../../db/amazon-pay-orders';
import { PAYMENT_STATUS, type AuthorizationRequest } from '../../workflows/amazon-pay-review';
import { orderCaptureWorkflow } from '../../workflows/order-capture';
import { orderCaptureWorkflowId } from '../../workflows/workflow-ids';
import { SHOP_ID } from '../support/au-pay-fixtures';
import { mintChargePermission } from '../support/amazon-pay-fixtures';
import { startTimeSkippingRig, type TimeSkippingRig } from '../support/time-skipping-rig';
import type { ActivityDeps } from '../../activities';
import type { OrderCancelActivityDeps } from '../../activities/order-cancel-activities';
import type { AccountStore } from '../../db/provider-accounts';
import { cancelGmoPgDeps, gmoAuthorize, gmoClient, newGmoOrderId, setUpCancelShop } from '../support/order-cancel-fixtures';
import { testAccounts } from '../support/order-out-fixtures';
import { recordHistory } from '../support/record-history';

/**
 * 出荷時売上確定 on the time-skipping server: an ordinary Amazon Pay order authorized without capture is captured when
 * it ships, through the payment provider interface; a CaptureInitiated capture is followed with durable timers until
 * Captured or Declined; each state is recorded on the order with its own order data OUT row, once.
 */
let rig: TimeSkippingRig;
let env: TestWorkflowEnvironment;
const taskQueue = 'order-capture-test';

let accounts: AccountStore;

beforeAll(async () => {
  rig = await startTimeSkippingRig(taskQueue, {
    deps: ({ db, sandbox }) => {
      accounts = testAccounts(db.pool);
      const deps: Partial<ActivityDeps> & Pick<OrderCancelActivityDeps, 'gmoPg'> = { accounts, gmoPg: cancelGmoPgDeps(sandbox, accounts) };
      return deps;
    },
  });
  env = rig.env;
  await setUpCancelShop(rig.db.pool, accounts, rig.sandbox, SHOP_ID);
}, 120_000);
afterAll(() => rig?.stop());

let n = 0;
/** An order authorized (審査完了, Authorized) as the review leaves it, the shop not capturing on authorization. */
async function authorizedOrder(): Promise<{ req: AuthorizationRequest; chargeId: string }> {
  n += 1;
  rig.sandbox.amazonPay.kit.clock.set(new Date(await env.currentTimeMs()));
  const chargePermissionId = await mintChargePermission(rig.sandbox, { chargePermissionType: 'OneTime', amount: 50000 });
  const req: AuthorizationRequest = {
    shopId: SHOP_ID, orderId: `SHIP-${Date.now()}-${n}`, chargePermissionId, amountJpy: 12800, captureOnAuthorization: false, cancelOnDecline: false,
  };
  await insertAuthorizationOrder(rig.db.pool, req);
  const charge = await rig.amazonPay.createCharge({ chargePermissionId, chargeAmount: jpy(req.amountJpy), captureNow: false }, `ship-test-${Date.now()}-${n}`.slice(0, 32));
  expect(charge.statusDetails.state).toBe('Authorized');
  await applyPaymentUpdate(rig.db.pool, {
    shopId: SHOP_ID, orderId: req.orderId, chargeId: charge.chargeId, paymentStatus: PAYMENT_STATUS.reviewed, creditStatus: 'Authorized', dedupeKey: `test:${req.orderId}`,
  });
  return { req, chargeId: charge.chargeId };
}

const capture = (orderId: string, chargeId: string, amountJpy?: number) =>
  env.client.workflow.execute(orderCaptureWorkflow, {
    workflowId: orderCaptureWorkflowId(SHOP_ID, orderId), taskQueue,
    args: [{ shopId: SHOP_ID, orderId, provider: 'amazon-pay', ref: chargeId, ...(amountJpy !== undefined ? { amountJpy } : {}) }],
  });
const stateRows = async (orderId: string) => (await listOutbox(rig.db.pool, SHOP_ID, orderId)).filter((r) => r.event === 'amazon-pay.charge-state');

test('CaptureInitiated for 5 hours is followed until Captured: the order shows it, one OUT row per state, after the update (#1319)', async () => {
  const { req, chargeId } = await authorizedOrder();
  await rig.sandbox.control('POST', '/amazon-pay/_sandbox/outcomes', { kind: 'pending', operation: 'captureCharge', delayMs: 5 * 3600_000, chargePermissionId: req.chargePermissionId });

  expect(await capture(req.orderId, chargeId, 11000)).toEqual({ state: 'Captured', phase: 'succeeded', reasonCode: null, error: null });
  await recordHistory(env.client.workflow.getHandle(orderCaptureWorkflowId(SHOP_ID, req.orderId)), 'order-capture-amazon-pay-captured');
  const charge = await rig.amazonPay.getCharge(chargeId);
  expect(charge).toMatchObject({ statusDetails: { state: 'Captured' }, captureAmount: { amount: '11000' } });
  expect(rig.sandbox.amazonPay.kit.ledger.list({ operation: 'captureCharge' }).filter((e) => e.applied && JSON.stringify(e).includes(chargeId))).toHaveLength(1);

  const order = await getAmazonPayOrder(rig.db.pool, SHOP_ID, req.orderId);
  expect(order).toMatchObject({ paymentStatus: '審査完了', creditStatus: 'Captured', referenceNumber: chargeId });
  expect(order!.authorizationFixedDate).not.toBeNull();
  const rows = await stateRows(req.orderId);
  expect(rows.map((r) => r.payload.creditStatus)).toEqual(['CaptureInitiated', 'Captured']);
  expect(rows[1]!.payload).toMatchObject({ creditStatus: 'Captured', referenceNumber: chargeId });
  expect(rows[1]!.payload.authorizationFixedDate).not.toBeNull(); // the row carries the values after the update
});

test('a capture Declined after CaptureInitiated is recorded as Declined with its reason; a repeat after it finished sends nothing', async () => {
  const { req, chargeId } = await authorizedOrder();
  await rig.sandbox.control('POST', '/amazon-pay/_sandbox/outcomes', {
    kind: 'pending', operation: 'captureCharge', delayMs: 2 * 3600_000, finalState: 'Declined', reasonCode: 'ProcessingFailure', chargePermissionId: req.chargePermissionId,
  });
  expect(await capture(req.orderId, chargeId)).toEqual({ state: 'Declined', phase: 'failed', reasonCode: 'ProcessingFailure', error: null });
  await recordHistory(env.client.workflow.getHandle(orderCaptureWorkflowId(SHOP_ID, req.orderId)), 'order-capture-amazon-pay-declined');
  expect(await getAmazonPayOrder(rig.db.pool, SHOP_ID, req.orderId)).toMatchObject({ creditStatus: 'Declined', lastError: 'ProcessingFailure' });
  expect((await stateRows(req.orderId)).map((r) => r.payload.creditStatus)).toEqual(['CaptureInitiated', 'Declined']);

  // asked again (a second shipment report): the provider refuses a Declined charge, the order shows why, no new row
  const again = await env.client.workflow.execute(orderCaptureWorkflow, {
    workflowId: `${orderCaptureWorkflowId(SHOP_ID, req.orderId)}:again`, taskQueue, args: [{ shopId: SHOP_ID, orderId: req.orderId, provider: 'amazon-pay', ref: chargeId }],
  });
  expect(again).toMatchObject({ phase: 'failed', error: expect.stringContaining('Declined: it cannot be captured') });
  expect((await stateRows(req.orderId))).toHaveLength(2);
  expect((await getAmazonPayOrder(rig.db.pool, SHOP_ID, req.orderId))!.lastError).toMatch(/^売上確定エラー: /);
});

test('the same capture workflow captures a GMO-PG trade through its adapter (AlterTran SALES), once, with nothing provider-specific in the process', async () => {
  const trade = newGmoOrderId('S');
  await gmoAuthorize(rig.sandbox, trade, new Date(), 3980); // the GMO emulator's own clock: the test card's expiry is real
  const orderId = `SHIP-GMO-${Date.now()}`;
  const run = () => env.client.workflow.execute(orderCaptureWorkflow, {
    workflowId: `${orderCaptureWorkflowId(SHOP_ID, orderId)}:${++n}`, taskQueue, args: [{ shopId: SHOP_ID, orderId, provider: 'gmo-pg', ref: trade }],
  });
  expect(await run()).toEqual({ state: 'SALES', phase: 'succeeded', reasonCode: null, error: null });
  expect(await gmoClient(rig.sandbox).searchTrade(trade)).toMatchObject({ status: 'SALES', amount: 3980 });
  expect(await run()).toMatchObject({ state: 'SALES', phase: 'succeeded' }); // captured already: nothing sent
  const { entries } = await rig.sandbox.control<{ entries: Array<{ operation: string; applied: boolean }> }>('GET', `/gmo-pg/_sandbox/ledger?orderId=${trade}`);
  expect(entries.filter((e) => e.operation === 'AlterTran' && e.applied)).toHaveLength(1);
});
