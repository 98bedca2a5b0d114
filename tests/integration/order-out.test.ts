import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createRenkeiWorker } from '../../workers/create-worker';
import { ensureOrderOutDispatcher } from '../../workers/order-out-dispatcher';
import { ORDER_OUT_DISPATCHER_WORKFLOW_ID } from '../../workflows/workflow-ids';
import type { AccountStore } from '../../db/provider-accounts';
import { ORDER_OUT_FAILED_SUBJECT } from '../../mail/order-out-mails';
import { activityDeps, NOTIFY_EMAIL, SHOP_ID } from '../support/au-pay-fixtures';
import { amazonPayTestClient, mintChargePermission } from '../support/amazon-pay-fixtures';
import { testAccounts } from '../support/order-out-fixtures';
import { callApi, startTestApi } from '../support/test-api';
import { startDevServer } from '../support/dev-server';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { workflowBundle } from '../support/workflow-bundle';
import { until } from '../support/until';
import { recordHistory } from '../support/record-history';

/**
 * Order data OUT end to end on the Temporal dev server: an Amazon Pay authorization writes its outbox row, the
 * dispatcher wakes the order's delivery workflow, and the signed POST reaches the external-system emulator with the
 * updated values (#1319). The account is set and the failed delivery redelivered through the API.
 */
const taskQueue = 'order-out-integration';
let env: TestWorkflowEnvironment;
let db: TestDatabase;
let sandbox: TestSandbox;
let accounts: AccountStore;
let testApi: Awaited<ReturnType<typeof startTestApi>>;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  ({ env } = await startDevServer());
  [db, sandbox] = await Promise.all([startTestDatabase(), startTestSandbox()]);
  accounts = testAccounts(db.pool);
  const amazonPay = amazonPayTestClient(sandbox);
  testApi = await startTestApi({ temporal: env.client, db: db.pool, taskQueue, accounts });
  worker = await createRenkeiWorker({
    connection: env.nativeConnection, namespace: 'default', taskQueue, workflowBundle,
    deps: {
      ...activityDeps(db.pool, sandbox),
      amazonPayShop: (s) => (s === SHOP_ID ? { client: amazonPay, notifyEmail: NOTIFY_EMAIL } : undefined),
      accounts, notifyEmail: () => NOTIFY_EMAIL, temporal: { client: env.client, taskQueue },
    },
  });
  running = worker.run();
  await ensureOrderOutDispatcher(env.client, taskQueue);
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await testApi?.stop();
  await Promise.all([db?.stop(), sandbox?.stop()]);
  await env?.teardown();
});

const call = (method: string, path: string, body?: unknown) => callApi(`${testApi.url}/shops/${SHOP_ID}${path}`, method, body);

type Delivery = { id: string; event: string; status: string; attemptLog: Array<{ httpStatus: number | null }> };
const deliveries = async (orderId: string) => (await call('GET', `/order-out/deliveries?orderId=${orderId}`)).body.deliveries as Delivery[];

test('an authorization goes out to the external system, signed, with the values after the update', async () => {
  const secret = 'whsec_' + Buffer.from('integration-order-out-secret-0123').toString('base64');
  await sandbox.control('POST', '/external-system/_sandbox/endpoints', { name: 'oms', secret });
  const set = await call('PUT', '/accounts/external-system', { url: `${sandbox.url}/external-system/receive/oms`, signingSecret: secret });
  expect(set.status).toBe(200);
  expect(JSON.stringify(set.body)).not.toContain(secret);

  const chargePermissionId = await mintChargePermission(sandbox, { chargePermissionType: 'OneTime', amount: 30000 });
  expect((await call('POST', '/amazon-pay/authorizations', { orderId: 'OUT-INT-1', chargePermissionId, amountJpy: 9800 })).status).toBe(202);

  const [delivered] = await until(async () => {
    const d = await deliveries('OUT-INT-1');
    return d.length && d.every((x) => x.status === 'delivered') ? d : undefined;
  });
  expect(delivered).toMatchObject({ event: 'amazon-pay.authorized', attemptLog: [{ httpStatus: 200 }] });
  const [got] = sandbox.externalSystem.receiver.list({ orderId: 'OUT-INT-1' });
  expect(got).toMatchObject({ signature: 'valid', duplicate: false, event: 'amazon-pay.authorized' });
  expect((got!.body as { order: Record<string, unknown> }).order).toMatchObject({ paymentStatus: '審査完了' });
  // open: its polling activity running, as it always is
  await recordHistory(env.client.workflow.getHandle(ORDER_OUT_DISPATCHER_WORKFLOW_ID), 'order-out-dispatcher-polling');
});

test('a refused delivery is failed and mailed; one API call redelivers it; a second is refused with the reason', async () => {
  await sandbox.control('POST', '/external-system/_sandbox/faults', { operation: 'receive', kind: 'error', status: 400, times: 1 });
  const chargePermissionId = await mintChargePermission(sandbox, { chargePermissionType: 'OneTime', amount: 30000 });
  await call('POST', '/amazon-pay/authorizations', { orderId: 'OUT-INT-2', chargePermissionId, amountJpy: 5000 });
  const [failed] = await until(async () => {
    const d = await deliveries('OUT-INT-2');
    return d[0]?.status === 'failed' ? d : undefined;
  });
  expect(failed!.attemptLog).toEqual([expect.objectContaining({ httpStatus: 400 })]);
  const mail = await until(async () => sandbox.sink.messages().find((m) => m.subject === ORDER_OUT_FAILED_SUBJECT && m.text.includes('OUT-INT-2')));
  expect(mail.to).toEqual([NOTIFY_EMAIL]);

  const redo = await call('POST', `/order-out/deliveries/${failed!.id}/redeliver`);
  expect(redo).toMatchObject({ status: 202, body: { orderId: 'OUT-INT-2' } });
  await until(async () => ((await deliveries('OUT-INT-2'))[0]?.status === 'delivered' ? true : undefined));
  const again = await call('POST', `/order-out/deliveries/${failed!.id}/redeliver`);
  expect(again).toMatchObject({ status: 409, body: { error: `delivery ${failed!.id} is delivered: only a failed delivery is redelivered` } });
  expect((await call('POST', '/order-out/deliveries/999999/redeliver')).status).toBe(404);
  expect((await call('PUT', '/order-out/settings', { fields: ['orderId', 'delivery..x'] })).status).toBe(400);
});
