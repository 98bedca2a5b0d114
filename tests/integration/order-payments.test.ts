import { randomBytes } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { parseKeyRing } from '../../common/account-crypto';
import { createAccountStore, type AccountStore } from '../../db/provider-accounts';
import { CANCEL_MANUAL_NEEDED } from '../../db/attention';
import { listDeliveries } from '../../db/order-out';
import { NOTIFY_EMAIL, SHOP_ID } from '../support/au-pay-fixtures';
import { AMAZON_KEY_ID, amazonPayTestClient, mintChargePermission, writeTestKeyFile } from '../support/amazon-pay-fixtures';
import { startDevServer } from '../support/dev-server';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { gmoPgBaseUrl, setUpCancelShop } from '../support/order-cancel-fixtures';
import { connectExternalSystem } from '../support/order-out-fixtures';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { callApi, startTestApi } from '../support/test-api';
import { startWorkerProcess } from '../support/worker-process';
import { until } from '../support/until';

/**
 * Payments through the API on the real dev server, PostgreSQL, the sandboxes and a worker process: a cancel whose
 * payment method has no settings stops for the operator (listed, decided through the API), and an Amazon Pay order
 * authorized without capture is captured when the OMS reports its shipment.
 */
const taskQueue = 'order-payments';
let env: TestWorkflowEnvironment;
let db: TestDatabase;
let sandbox: TestSandbox;
let accounts: AccountStore;
let api: { url: string; stop(): Promise<void> };
let worker: Awaited<ReturnType<typeof startWorkerProcess>>;
const keyRing = `test:${randomBytes(32).toString('base64')}`;

beforeAll(async () => {
  let address: string;
  ({ env, address } = await startDevServer());
  [db, sandbox] = await Promise.all([startTestDatabase(), startTestSandbox()]);
  amazonPayTestClient(sandbox); // registers the test key at the emulator
  accounts = createAccountStore(db.pool, parseKeyRing(keyRing, 'test'));
  await connectExternalSystem(accounts, sandbox, SHOP_ID);
  await setUpCancelShop(db.pool, accounts, sandbox, SHOP_ID);
  api = await startTestApi({ temporal: env.client, db: db.pool, taskQueue, accounts });
  worker = await startWorkerProcess({
    TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: db.url, SMTP_URL: sandbox.smtpUrl,
    ACCOUNTS_KEYS: keyRing, ACCOUNTS_KEY_ID: 'test', GMO_PG_BASE_URL: gmoPgBaseUrl(sandbox), SHOP_ID, SHOP_NOTIFY_EMAIL: NOTIFY_EMAIL,
    AMAZONPAY_BASE_URL: sandbox.amazonPayBaseUrl, AMAZONPAY_PUBLIC_KEY_ID: AMAZON_KEY_ID, AMAZONPAY_PRIVATE_KEY_FILE: writeTestKeyFile(),
  });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await api?.stop();
  await Promise.all([db?.stop(), sandbox?.stop()]);
  await env?.teardown();
});

const shop = (method: string, path: string, body?: unknown) => callApi(`${api.url}/shops/${SHOP_ID}${path}`, method, body);

test('a payment method without settings: manual-cancel-needed, listed with its action, "canceled by hand" through the API', async () => {
  const orderId = 'NO-SETTINGS-1';
  expect((await shop('POST', '/cancellations', { orderId, source: 'shop-admin', payment: { method: 'cash-on-delivery-x' } })).status).toBe(202);
  const waiting = await until(async () => {
    const r = await shop('GET', `/cancellations/${orderId}`);
    return r.status === 200 && r.body.status === 'manual-cancel-needed' && r.body;
  }, 30_000);
  expect(waiting).toMatchObject({ orderStatus: '受注', providerOutcome: 'manual-cancel-needed', orderOut: null });

  const listed = await shop('GET', '/attention?process=cancel');
  expect(listed.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ orderId, status: CANCEL_MANUAL_NEEDED, actions: ['cancel.decision'] })]));

  const decided = await shop('POST', `/cancellations/${orderId}/decision`, { choice: 'canceled-by-hand' });
  expect(decided.status).toBe(200);
  expect(decided.body).toMatchObject({ status: 'canceled', orderStatus: 'キャンセル', providerOutcome: 'canceled-by-hand', providerFlagged: false });
  // キャンセル with its order data OUT row, and gone from the list
  const after = await until(async () => {
    const r = await shop('GET', `/cancellations/${orderId}`);
    return r.body.orderOut && r.body;
  }, 30_000);
  expect(after).toMatchObject({ status: 'canceled', decision: 'canceled-by-hand', orderOut: expect.objectContaining({ id: expect.any(String) }) });
  expect(((await shop('GET', '/attention?process=cancel')).body.items as Array<{ orderId: string }>).map((i) => i.orderId)).not.toContain(orderId);
  const again = await shop('POST', `/cancellations/${orderId}/decision`, { choice: 'leave' });
  expect(again.status).toBe(409);
}, 90_000);

test('the OMS reports the shipment of an Amazon Pay order authorized without capture: captured, recorded, told OUT; bad input refused', async () => {
  const orderId = 'SHIPPED-1';
  const chargePermissionId = await mintChargePermission(sandbox, { chargePermissionType: 'OneTime', amount: 20000 });
  const started = await shop('POST', '/amazon-pay/authorizations', { orderId, chargePermissionId, amountJpy: 8800, captureOnAuthorization: false });
  expect(started.status).toBe(202);
  await until(async () => (await shop('GET', `/amazon-pay/orders/${orderId}`)).body.creditStatus === 'Authorized', 30_000);

  expect((await shop('POST', '/amazon-pay/orders/NO-SUCH-ORDER/shipped', {})).status).toBe(404);
  const tooMuch = await shop('POST', `/amazon-pay/orders/${orderId}/shipped`, { amountJpy: 9000 });
  expect(tooMuch.status).toBe(400);
  expect(tooMuch.body.issues).toEqual([expect.objectContaining({ field: 'amountJpy' })]);
  expect((await shop('POST', `/amazon-pay/orders/${orderId}/shipped`, { amountJpy: 'all' })).status).toBe(400);

  const shipped = await shop('POST', `/amazon-pay/orders/${orderId}/shipped`, { amountJpy: 8000 });
  expect(shipped.status).toBe(202);
  const order = await until(async () => {
    const r = await shop('GET', `/amazon-pay/orders/${orderId}`);
    return r.body.creditStatus === 'Captured' && r.body;
  }, 30_000);
  expect(order).toMatchObject({ paymentStatus: '審査完了', referenceNumber: order.chargeId });
  const states = (order.outbox as Array<{ event: string; payload: Record<string, unknown> }>).filter((r) => r.event === 'amazon-pay.charge-state');
  expect(states).toEqual([expect.objectContaining({ payload: expect.objectContaining({ creditStatus: 'Captured', referenceNumber: order.chargeId }) })]);
  const captures = sandbox.amazonPay.kit.ledger.list({ operation: 'captureCharge' }).filter((e) => e.applied);
  expect(captures).toHaveLength(1);
  // the Captured row reaches the shop's external system
  await until(async () => (await listDeliveries(db.pool, SHOP_ID, { orderId, limit: 10 })).some((d) => d.event === 'amazon-pay.charge-state' && d.status === 'delivered'), 30_000);

  // reported again: already captured, nothing sent
  const again = await shop('POST', `/amazon-pay/orders/${orderId}/shipped`, {});
  expect(again.status).toBe(200);
  expect(sandbox.amazonPay.kit.ledger.list({ operation: 'captureCharge' }).filter((e) => e.applied)).toHaveLength(1);
}, 90_000);
