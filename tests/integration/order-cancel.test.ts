import { randomBytes } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { parseKeyRing } from '../../common/account-crypto';
import { getCancelRecord } from '../../db/order-cancel';
import { listDeliveries } from '../../db/order-out';
import { createAccountStore, type AccountStore } from '../../db/provider-accounts';
import { NOTIFY_EMAIL, SHOP_ID } from '../support/au-pay-fixtures';
import { startDevServer } from '../support/dev-server';
import { startTestDatabase, type TestDatabase } from '../support/database';
import {
  appliedCancels, gmoAuthorize, gmoPgBaseUrl, gmoStatus, METHODS, newGmoOrderId, setUpCancelShop,
} from '../support/order-cancel-fixtures';
import { connectExternalSystem } from '../support/order-out-fixtures';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { callApi, startTestApi } from '../support/test-api';
import { startWorkerProcess } from '../support/worker-process';
import { until } from '../support/until';
import { orderCancelWorkflowId } from '../../workflows/workflow-ids';

/**
 * The cancellation saga on the real dev server, PostgreSQL and the sandboxes, driven through the API, with a worker
 * process killed while GMO-PG's AlterTran is in flight.
 */
const taskQueue = 'order-cancel-crash';
let env: TestWorkflowEnvironment;
let address: string;
let db: TestDatabase;
let sandbox: TestSandbox;
let accounts: AccountStore;
let api: { url: string; stop(): Promise<void> };
const keyRing = `test:${randomBytes(32).toString('base64')}`;

beforeAll(async () => {
  ({ env, address } = await startDevServer());
  [db, sandbox] = await Promise.all([startTestDatabase(), startTestSandbox()]);
  accounts = createAccountStore(db.pool, parseKeyRing(keyRing, 'test'));
  await connectExternalSystem(accounts, sandbox, SHOP_ID);
  await setUpCancelShop(db.pool, accounts, sandbox, SHOP_ID);
  api = await startTestApi({ temporal: env.client, db: db.pool, taskQueue, accounts });
}, 120_000);

afterAll(async () => {
  await api?.stop();
  await Promise.all([db?.stop(), sandbox?.stop()]);
  await env?.teardown();
});

const call = (method: string, path: string, body?: unknown) => callApi(`${api.url}/shops/${SHOP_ID}/cancellations${path}`, method, body);

test('the API refuses bad input with reasons, an unknown order with 404', async () => {
  const bad = await call('POST', '/', { orderId: 'no spaces', source: 'phone', payment: { method: 'credit-gmo-pg', gmoPgOrderId: 'x'.repeat(30) } });
  expect(bad.status).toBe(400);
  const fields = (bad.body.issues as Array<{ field: string; reason: string }>).map((i) => i.field);
  expect(fields).toEqual(expect.arrayContaining(['orderId', 'source', 'payment.gmoPgOrderId']));
  const child = await call('POST', '/', { orderId: 'C-1', source: 'buyer', payment: { method: 'amazon-pay-v2', recurringRole: 'child' } });
  expect(child.status).toBe(400);
  expect(child.body.issues).toEqual([expect.objectContaining({ field: 'payment.amazonPayChargeId' })]);
  expect((await call('POST', '/C-1/decision', { choice: 'maybe' })).status).toBe(400);
  expect((await call('GET', '/NO-SUCH-ORDER')).status).toBe(404);
  expect((await call('POST', '/NO-SUCH-ORDER/decision', { choice: 'leave' })).status).toBe(404);
  const unauthorized = await fetch(`${api.url}/shops/${SHOP_ID}/cancellations/NO-SUCH-ORDER`);
  expect(unauthorized.status).toBe(401);
  const methods = await call('GET', '/payment-methods');
  expect(methods.body.paymentMethods).toEqual(expect.arrayContaining([expect.objectContaining({ paymentMethod: METHODS.gmo, provider: 'gmo-pg', cancelApi: true })]));
});

test('a worker killed during the GMO-PG cancel: the restarted one finishes it with one cancel in the ledger', async () => {
  const orderId = 'CRASH-CANCEL-1';
  const trade = newGmoOrderId('K');
  await gmoAuthorize(sandbox, trade, new Date());
  // GMO applies the AlterTran at once and answers 8 s later: the kill lands in between
  await sandbox.control('POST', '/gmo-pg/_sandbox/faults', { operation: 'AlterTran', kind: 'slow', delayMs: 8000, times: 1 });

  const workerEnv = {
    TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: db.url, SMTP_URL: sandbox.smtpUrl,
    ACCOUNTS_KEYS: keyRing, ACCOUNTS_KEY_ID: 'test', GMO_PG_BASE_URL: gmoPgBaseUrl(sandbox), SHOP_ID, SHOP_NOTIFY_EMAIL: NOTIFY_EMAIL,
  };
  let worker = await startWorkerProcess(workerEnv);
  const requested = await call('POST', '/', { orderId, source: 'buyer', payment: { method: METHODS.gmo, gmoPgOrderId: trade } });
  expect(requested.status).toBe(202);
  // the shop's admin asks too, while it runs: the same saga
  expect((await call('POST', '/', { orderId, source: 'shop-admin', payment: { method: METHODS.gmo, gmoPgOrderId: trade } })).status).toBe(202);

  await until(async () => (await appliedCancels(sandbox, trade)).length === 1);
  expect((await call('GET', `/${orderId}`)).body).toMatchObject({ orderStatus: 'キャンセル中', status: 'canceling' });
  await worker.kill();

  worker = await startWorkerProcess(workerEnv);
  try {
    // the activity's 30 s start-to-close passes; its retry searches the trade first and finds it canceled
    await until(async () => (await getCancelRecord(db.pool, SHOP_ID, orderId))?.externalStatus === 'delivered', 120_000);
    expect(await appliedCancels(sandbox, trade)).toHaveLength(1);
    expect(await gmoStatus(sandbox, trade)).toBe('VOID');
    const state = await call('GET', `/${orderId}`);
    expect(state.status).toBe(200);
    expect(state.body).toMatchObject({
      orderStatus: 'キャンセル', status: 'canceled', providerDetail: 'VOID', providerFlagged: false, externalStatus: 'delivered',
      orderOut: { status: 'delivered', heldBy: null },
    });
    expect(['canceled', 'already-canceled']).toContain(state.body.providerOutcome);
    expect(await listDeliveries(db.pool, SHOP_ID, { orderId, limit: 10 })).toHaveLength(1);

    // a decision once the saga has ended: 409 with its final status; a repeated request: 200, nothing new
    await env.client.workflow.getHandle(orderCancelWorkflowId(SHOP_ID, orderId)).result();
    const decision = await call('POST', `/${orderId}/decision`, { choice: 'cancel-locally' });
    expect(decision.body).toEqual({ error: 'finished: canceled', status: 'canceled' });
    expect(decision.status).toBe(409);
    const again = await call('POST', '/', { orderId, source: 'buyer', payment: { method: METHODS.gmo, gmoPgOrderId: trade } });
    expect(again.status).toBe(200);
    expect(again.body.note).toMatch(/already canceled/);
  } finally {
    await worker.stop();
  }
}, 240_000);

