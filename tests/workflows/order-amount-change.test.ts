import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ActivityDeps } from '../../activities';
import type { OrderCancelActivityDeps } from '../../activities/order-cancel-activities';
import { jpy } from '../../amazon-pay/schemas';
import { listAmountChanges } from '../../db/amount-change';
import { putPaymentMethodSetting } from '../../db/order-cancel';
import type { AccountStore } from '../../db/provider-accounts';
import { orderAmountChangeWorkflow, type AmountChangeRequest } from '../../workflows/order-amount-change';
import { orderAmountChangeWorkflowId } from '../../workflows/workflow-ids';
import { NOTIFY_EMAIL, SHOP_ID } from '../support/au-pay-fixtures';
import { mintChargePermission } from '../support/amazon-pay-fixtures';
import { cancelGmoPgDeps, gmoAuthorize, gmoClient, gmoLedger, METHODS, newGmoOrderId, setUpCancelShop } from '../support/order-cancel-fixtures';
import { testAccounts } from '../support/order-out-fixtures';
import { startTimeSkippingRig, type TimeSkippingRig } from '../support/time-skipping-rig';

/** 金額変更API連携フラグ on the time-skipping server: GMO-PG ChangeTran, Amazon Pay within its rules, the flag off. */
let rig: TimeSkippingRig;
let env: TestWorkflowEnvironment;
let accounts: AccountStore;
const taskQueue = 'order-amount-change-test';

beforeAll(async () => {
  rig = await startTimeSkippingRig(taskQueue, {
    deps: ({ db, sandbox }) => {
      accounts = testAccounts(db.pool);
      const deps: Partial<ActivityDeps> & Pick<OrderCancelActivityDeps, 'gmoPg'> = {
        accounts, notifyEmail: (s) => (s === SHOP_ID ? NOTIFY_EMAIL : undefined), gmoPg: cancelGmoPgDeps(sandbox, accounts),
      };
      return deps;
    },
  });
  env = rig.env;
  await setUpCancelShop(rig.db.pool, accounts, rig.sandbox, SHOP_ID);
  await putPaymentMethodSetting(rig.db.pool, { shopId: SHOP_ID, paymentMethod: 'amazon-pay-amount', provider: 'amazon-pay', cancelApi: true, amountChangeApi: true, autoCancelOnNg: false });
});
afterAll(() => rig?.stop());

let n = 0;
const change = (payment: AmountChangeRequest['payment'], amountJpy: number, orderId = `AMT-${Date.now()}-${++n}`) =>
  env.client.workflow.execute(orderAmountChangeWorkflow, {
    workflowId: `${orderAmountChangeWorkflowId(SHOP_ID, orderId, amountJpy)}:${++n}`, taskQueue, args: [{ shopId: SHOP_ID, orderId, payment, amountJpy }],
    workflowExecutionTimeout: '1 hour',
  });

test('GMO-PG: ChangeTran to the new amount once; asked again, nothing is sent; the flag off sends nothing', async () => {
  const trade = newGmoOrderId('A');
  await gmoAuthorize(rig.sandbox, trade, new Date(await env.currentTimeMs()), 3980);
  expect(await change({ method: METHODS.gmo, gmoPgOrderId: trade }, 2980, 'AMT-GMO-1')).toEqual({ outcome: 'changed', detail: 'AUTH ¥3980 → ¥2980' });
  expect(await gmoClient(rig.sandbox).searchTrade(trade)).toMatchObject({ status: 'AUTH', amount: 2980 });
  expect(await change({ method: METHODS.gmo, gmoPgOrderId: trade }, 2980, 'AMT-GMO-1')).toMatchObject({ outcome: 'unchanged' });
  expect((await gmoLedger(rig.sandbox, trade)).filter((e) => e.operation === 'ChangeTran' && e.applied)).toHaveLength(1);
  expect((await listAmountChanges(rig.db.pool, SHOP_ID, 'AMT-GMO-1')).map((c) => c.outcome)).toEqual(['changed', 'unchanged']);

  const untouched = newGmoOrderId('B');
  await gmoAuthorize(rig.sandbox, untouched, new Date(await env.currentTimeMs()), 3980);
  expect(await change({ method: METHODS.off, gmoPgOrderId: untouched }, 1000)).toMatchObject({ outcome: 'not-linked' });
  expect(await gmoClient(rig.sandbox).searchTrade(untouched)).toMatchObject({ amount: 3980 });
});

test('Amazon Pay: less on an Authorized charge is a smaller capture later, more is refused; on a Captured one the difference is refunded', async () => {
  rig.sandbox.amazonPay.kit.clock.set(new Date(await env.currentTimeMs()));
  const chargePermissionId = await mintChargePermission(rig.sandbox, { chargePermissionType: 'OneTime', amount: 30000 });
  const charge = await rig.amazonPay.createCharge({ chargePermissionId, chargeAmount: jpy(10000), captureNow: false }, 'amount-change-test-charge-00001');
  const payment = { method: 'amazon-pay-amount', amazonPayChargeId: charge.chargeId };
  expect(await change(payment, 8000)).toEqual({ outcome: 'capture-less', detail: 'capture ¥8000 of the ¥10000 authorized' });
  expect(await change(payment, 12000)).toMatchObject({ outcome: 'failed', detail: expect.stringContaining('needs a new authorization') });

  await rig.amazonPay.captureCharge(charge.chargeId, { captureAmount: jpy(10000) }, 'amount-change-test-capture-0001');
  const orderId = `AMT-AMZ-${Date.now()}`;
  expect(await change(payment, 7000, orderId)).toMatchObject({ outcome: 'refunded', detail: expect.stringMatching(/^¥3000 refunded/) });
  // a second change while the first refund may still be RefundInitiated: only the new difference is refunded
  expect(await change(payment, 5000, orderId)).toMatchObject({ outcome: 'refunded', detail: expect.stringMatching(/^¥2000 refunded/) });
  const refunds = rig.sandbox.amazonPay.kit.ledger.list({ operation: 'createRefund' }).filter((e) => e.applied);
  expect(refunds).toHaveLength(2);
});
