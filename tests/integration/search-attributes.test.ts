import type { AccountStore } from '../../db/provider-accounts';
import { wakeOrderOutDelivery } from '../../order-out/wake-delivery';
import { NOTIFY_EMAIL, SHOP_ID } from '../support/au-pay-fixtures';
import { mintChargePermission } from '../support/amazon-pay-fixtures';
import { startApiWorld, type ApiWorld } from '../support/api-world';
import { connectExternalSystem, testAccounts, writeOutbox } from '../support/order-out-fixtures';
import { callApi } from '../support/test-api';
import { until } from '../support/until';

/**
 * The Web UI's saved filters (README, "Filtering in the Temporal Web UI") on the real dev server: orders started
 * through the API carry ShopId, OrderId and their process's status from the start, the worker's upserts move them on,
 * and the visibility store lists them by the queries an operator types.
 */
let world: ApiWorld;
let accounts: AccountStore;
const taskQueue = 'search-attributes-api';

beforeAll(async () => {
  world = await startApiWorld(taskQueue, {
    deps: ({ db }) => {
      accounts = testAccounts(db.pool);
      return { accounts, notifyEmail: (s) => (s === SHOP_ID ? NOTIFY_EMAIL : undefined), orderOutTimeoutMs: 1000 };
    },
  });
  await connectExternalSystem(accounts, world.sandbox, SHOP_ID);
}, 120_000);
afterAll(() => world?.stop());

const call = (method: string, path: string, body?: unknown) => callApi(`${world.api}/shops/${SHOP_ID}${path}`, method, body);
/** The workflow ids the visibility store lists for `query`, once it lists `expected` (it is eventually consistent). */
async function listed(query: string, expected: string): Promise<string[]> {
  return until(async () => {
    const ids: string[] = [];
    for await (const w of world.env.client.workflow.list({ query: `ShopId = '${SHOP_ID}' AND ${query}` })) ids.push(w.workflowId);
    return ids.includes(expected) && ids;
  }, 30_000, 250);
}
const stamp = Date.now();

test('the Amazon Pay review under way is listed as 審査中, the recurring parent by its status, next child and expiry', async () => {
  const chargePermissionId = await mintChargePermission(world.sandbox, { chargePermissionType: 'OneTime', amount: 50000 });
  await world.sandbox.control('POST', '/amazon-pay/_sandbox/outcomes', { kind: 'pending', operation: 'createCharge', chargePermissionId, delayMs: 86_400_000 });
  const review = await call('POST', '/amazon-pay/authorizations', { orderId: `SA-AP-${stamp}`, chargePermissionId, amountJpy: 9800 });
  expect(review.status).toBe(202);
  await listed(`AmazonPayReviewStatus = '審査中' AND OrderId = 'SA-AP-${stamp}'`, review.body.workflowId as string);

  const recurringPermission = await mintChargePermission(world.sandbox, { chargePermissionType: 'Recurring', frequency: { unit: 'Month', value: '1' }, amount: 9800 });
  const firstChargeAt = new Date(Date.now() + 3_600_000).toISOString();
  const parent = await call('POST', '/amazon-pay/recurring', {
    parentOrderId: `SA-SUB-${stamp}`, chargePermissionId: recurringPermission, interval: { unit: 'Month', value: 1 }, firstChargeAt, amountJpy: 9800,
  });
  expect(parent.status).toBe(202);
  const inTwoHours = new Date(Date.now() + 2 * 3_600_000).toISOString();
  await listed(`RecurringStatus = 'active' AND RecurringNextChargeAt < '${inTwoHours}'`, parent.body.workflowId as string);
  // the expiry is the workflow's (13 months on): "expiring within 14 months" finds it, "within 12" does not
  const months = (m: number) => new Date(Date.now() + m * 30.5 * 86_400_000).toISOString();
  await listed(`RecurringExpiresAt < '${months(14)}'`, parent.body.workflowId as string);
  const soon: string[] = [];
  for await (const w of world.env.client.workflow.list({ query: `ShopId = '${SHOP_ID}' AND RecurringExpiresAt < '${months(12)}'` })) soon.push(w.workflowId);
  expect(soon).not.toContain(parent.body.workflowId);
});

test('a cancellation waiting for the operator, an amount change not linked, a refused order data OUT: each listed by its status', async () => {
  // a payment method without settings: the cancel stops before the provider and waits for the operator
  const cancel = await call('POST', '/cancellations', { orderId: `SA-CX-${stamp}`, source: 'shop-admin', payment: { method: 'no-such-method' } });
  expect(cancel.status).toBe(202);
  await listed(`OrderCancelStatus = 'manual-cancel-needed'`, cancel.body.workflowId as string);

  const change = await call('POST', '/amount-changes', { orderId: `SA-AMT-${stamp}`, payment: { method: 'no-such-method' }, amountJpy: 1200 });
  expect(change.status).toBe(202);
  await listed(`AmountChangeStatus = 'not-linked'`, change.body.workflowId as string);

  const orderId = `SA-OUT-${stamp}`;
  await writeOutbox(world.db.pool, SHOP_ID, orderId, [{ event: 'authorized', payload: { orderId } }]);
  await world.sandbox.control('POST', '/external-system/_sandbox/faults', { operation: 'receive', kind: 'error', status: 422, times: 1 });
  await wakeOrderOutDelivery({ client: world.env.client, taskQueue }, SHOP_ID, orderId);
  await listed(`OrderOutStatus = 'failed' AND OrderId = '${orderId}'`, `order-out:${SHOP_ID}:${orderId}`);
});
