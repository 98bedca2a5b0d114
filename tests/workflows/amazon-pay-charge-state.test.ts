import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { getAmazonPayOrder, insertAuthorizationOrder, listOutbox } from '../../db/amazon-pay-orders';
import { amazonPayAuthorizationWorkflow } from '../../workflows/amazon-pay-authorization';
import { authorizationStateQuery, amazonPayChargeStateWorkflowId, chargeNotifiedSignal } from '../../workflows/amazon-pay-authorization-messages';
import { amazonPayChargeStateWorkflow } from '../../workflows/amazon-pay-charge-state';
import type { AuthorizationRequest } from '../../workflows/amazon-pay-review';
import { amazonPayAuthorizationWorkflowId } from '../../workflows/workflow-ids';
import { SHOP_ID } from '../support/au-pay-fixtures';
import { until } from '../support/until';
import { mintChargePermission } from '../support/amazon-pay-fixtures';
import type { TestDatabase } from '../support/database';
import type { TestSandbox } from '../support/sandbox';
import { startTimeSkippingRig, type TimeSkippingRig } from '../support/time-skipping-rig';
import { recordHistory } from '../support/record-history';
import type { AmazonPayClient } from '../../amazon-pay/client-types';

/**
 * A charge that changes after its order's review ended (issue 13 §3): the charge-state workflow the IPN route starts
 * reads the charge, records the change and writes one order data OUT row per charge and state (#1319).
 */
let rig: TimeSkippingRig;
let env: TestWorkflowEnvironment;
let db: TestDatabase;
let sandbox: TestSandbox;
let client: AmazonPayClient;
const taskQueue = 'amazon-pay-charge-state-test';

beforeAll(async () => {
  rig = await startTimeSkippingRig(taskQueue);
  ({ env, db, sandbox, amazonPay: client } = rig);
});
afterAll(() => rig?.stop());

let n = 0;
/** An order reviewed to 審査完了 (Authorized at once, not captured). */
async function reviewedOrder(): Promise<{ req: AuthorizationRequest; chargeId: string }> {
  n += 1;
  sandbox.amazonPay.kit.clock.set(new Date(await env.currentTimeMs()));
  const chargePermissionId = await mintChargePermission(sandbox, { chargePermissionType: 'OneTime', amount: 50000 });
  const req: AuthorizationRequest = {
    shopId: SHOP_ID, orderId: `CS-${Date.now()}-${n}`, chargePermissionId, amountJpy: 12800, captureOnAuthorization: false, cancelOnDecline: false,
  };
  await insertAuthorizationOrder(db.pool, req);
  await env.client.workflow.execute(amazonPayAuthorizationWorkflow, { workflowId: amazonPayAuthorizationWorkflowId(SHOP_ID, req.orderId), taskQueue, args: [req, {}] });
  const order = await getAmazonPayOrder(db.pool, SHOP_ID, req.orderId);
  expect(order).toMatchObject({ paymentStatus: '審査完了', creditStatus: 'Authorized' });
  return { req, chargeId: order!.chargeId! };
}

/** What the IPN route does for a charge whose review is over. */
const ipn = (req: AuthorizationRequest, chargeId: string) =>
  env.client.workflow.signalWithStart(amazonPayChargeStateWorkflow, {
    workflowId: amazonPayChargeStateWorkflowId(SHOP_ID, chargeId), taskQueue,
    args: [{ shopId: SHOP_ID, orderId: req.orderId, chargeId }], signal: chargeNotifiedSignal, signalArgs: [{ chargeId }],
  });

const chargeStateRows = async (orderId: string) => (await listOutbox(db.pool, SHOP_ID, orderId)).filter((o) => o.event === 'amazon-pay.charge-state');

test('captured in Seller Central after 審査完了: read, recorded, then one order data OUT row with the captured values', async () => {
  const { req, chargeId } = await reviewedOrder();
  await client.captureCharge(chargeId, { captureAmount: { amount: '12800', currencyCode: 'JPY' } }, `sellercentral-${req.orderId}`);

  const handle = await ipn(req, chargeId);
  const result = await handle.result();
  await recordHistory(handle, 'amazon-pay-charge-state-captured');

  expect(result).toMatchObject({ looks: 1, state: 'Captured', recorded: 1 });
  const order = await getAmazonPayOrder(db.pool, SHOP_ID, req.orderId);
  expect(order).toMatchObject({ paymentStatus: '審査完了', creditStatus: 'Captured', referenceNumber: chargeId });
  expect(order?.authorizationFixedDate).not.toBeNull();
  const rows = await chargeStateRows(req.orderId);
  expect(rows).toHaveLength(1);
  expect(rows[0]!.payload).toMatchObject({ paymentStatus: '審査完了', creditStatus: 'Captured', chargeId, referenceNumber: chargeId });
  expect(rows[0]!.payload.authorizationFixedDate).not.toBeNull(); // the row carries the values after the update (#1319)
});

test('the same change told twice (a second IPN, a new run): still one order data OUT row', async () => {
  const { req, chargeId } = await reviewedOrder();
  await client.captureCharge(chargeId, { captureAmount: { amount: '12800', currencyCode: 'JPY' } }, `sellercentral-${req.orderId}`);
  expect(await (await ipn(req, chargeId)).result()).toMatchObject({ recorded: 1 });
  expect(await (await ipn(req, chargeId)).result()).toMatchObject({ looks: 1, state: 'Captured', recorded: 0 });
  expect(await chargeStateRows(req.orderId)).toHaveLength(1);
});

test("an IPN while the review still runs (its own capture on authorization): the change waits for the review's record, no second row", async () => {
  n += 1;
  sandbox.amazonPay.kit.clock.set(new Date(await env.currentTimeMs()));
  const chargePermissionId = await mintChargePermission(sandbox, { chargePermissionType: 'OneTime', amount: 50000 });
  await sandbox.control('POST', '/amazon-pay/_sandbox/outcomes', { kind: 'pending', operation: 'createCharge', chargePermissionId, delayMs: 3 * 86_400_000 });
  const req: AuthorizationRequest = {
    shopId: SHOP_ID, orderId: `CS-${Date.now()}-${n}`, chargePermissionId, amountJpy: 12800, captureOnAuthorization: true, cancelOnDecline: false,
  };
  await insertAuthorizationOrder(db.pool, req);
  const review = await env.client.workflow.start(amazonPayAuthorizationWorkflow, { workflowId: amazonPayAuthorizationWorkflowId(SHOP_ID, req.orderId), taskQueue, args: [req, {}] });
  const chargeId = await until(async () => (await review.query(authorizationStateQuery)).chargeId, 15_000, 50);

  // The charge-state workflow starts while the review runs: it looks only once the review is over.
  const changed = await ipn(req, chargeId);
  await sandbox.control('POST', `/amazon-pay/_sandbox/charges/${chargeId}/resolve`, { state: 'Authorized' });
  await review.signal(chargeNotifiedSignal, { chargeId });

  expect(await review.result()).toMatchObject({ chargeState: 'Captured' });
  expect(await changed.result()).toMatchObject({ looks: 1, state: 'Captured', recorded: 0 }); // the review recorded it
  expect((await listOutbox(db.pool, SHOP_ID, req.orderId)).map((o) => o.event)).toEqual(['amazon-pay.authorized', 'amazon-pay.captured']);
});
