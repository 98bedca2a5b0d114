import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { getOpluxOrder } from '../../db/oplux-orders';
import { FRAUD_STATUS } from '../../workflows/oplux-review-rules';
import { fraudReviewStateQuery } from '../../workflows/oplux-fraud-review-messages';
import { opluxFraudReviewWorkflowId } from '../../workflows/workflow-ids';
import { API_TOKEN, callApi, startTestApi } from '../support/test-api';
import { startDevServer } from '../support/dev-server';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { NOTIFY_EMAIL, SHOP_ID } from '../support/au-pay-fixtures';
import { newReviewOrder, OPLUX_MERCHANT, registerOpluxMerchant } from '../support/oplux-fixtures';
import { startWorkerProcess } from '../support/worker-process';
import { until } from '../support/until';

/**
 * The O-PLUX fraud review through the real API, the Temporal dev server, PostgreSQL, the O-PLUX sandbox and the
 * worker's own entry point as a separate process, killed in the middle of a registration.
 */
const taskQueue = 'oplux-integration';
let env: TestWorkflowEnvironment;
let temporalAddress: string;
let db: TestDatabase;
let sandbox: TestSandbox;
let testApi: Awaited<ReturnType<typeof startTestApi>>;
let api: string;

beforeAll(async () => {
  ({ env, address: temporalAddress } = await startDevServer());
  [db, sandbox] = await Promise.all([startTestDatabase(), startTestSandbox()]);
  await registerOpluxMerchant(sandbox);
  testApi = await startTestApi({ temporal: env.client, db: db.pool, taskQueue });
  api = testApi.url;
}, 120_000);

afterAll(async () => {
  await testApi?.stop();
  await Promise.all([db?.stop(), sandbox?.stop()]);
  await env?.teardown();
});

type Body = Record<string, unknown> & { issues?: Array<{ field: string; reason: string }>; error?: string };
const call = (method: string, path: string, body?: unknown, token?: string | null) => callApi<Body>(`${api}/shops/${SHOP_ID}/oplux${path}`, method, body, token);
/** The order as the shop's system reports it (the shop id comes from the path). */
const report = (o: ReturnType<typeof newReviewOrder>) => {
  const { shopId: _shopId, ...body } = o;
  return body;
};
/**
 * The review at `status` in its row and in the workflow: the row is written a workflow task before the workflow
 * shows the status, and an operator's action is judged by the workflow.
 */
const reviewAt = (orderId: string, status: string) => async () =>
  (await getOpluxOrder(db.pool, SHOP_ID, orderId))?.status === status
  && (await env.client.workflow.getHandle(opluxFraudReviewWorkflowId(SHOP_ID, orderId)).query(fraudReviewStateQuery).catch(() => undefined))?.status === status;

describe('API input', () => {
  test('the bearer token is required', async () => {
    expect((await call('GET', '/orders/X-1', undefined, null)).status).toBe(401);
  });

  test('bad input is a 400 naming each field and the reason', async () => {
    const bad = { ...report(newReviewOrder()), orderId: 'bad id!', ipAddress: '999.1.1.1', items: [], amountJpy: 1.5 };
    const res = await call('POST', '/orders', bad);
    expect(res.status).toBe(400);
    expect(res.body.issues!.map((i) => i.field).sort()).toEqual(['amountJpy', 'ipAddress', 'items', 'orderId']);
    expect(res.body.issues!.find((i) => i.field === 'ipAddress')?.reason).toMatch(/IPv4 or IPv6/);
    const manual = await call('POST', '/orders/X-1/manual-review', { result: '40', memo: 'x'.repeat(201) });
    expect(manual.status).toBe(400);
    expect(manual.body.issues!.map((i) => i.field).sort()).toEqual(['memo', 'result']);
    expect((await call('POST', '/orders/X-1/black-flag', { flag: '2' })).status).toBe(400);
  });

  test('unknown shop and unknown order are 404', async () => {
    const res = await fetch(`${api}/shops/nobody/oplux/orders/X-1`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(res.status).toBe(404);
    expect((await call('GET', '/orders/NOPE-1')).status).toBe(404);
    expect((await call('POST', '/orders/NOPE-1/manual-review', { result: '10' })).status).toBe(404);
    expect((await call('POST', '/orders/NOPE-1/relink')).status).toBe(404);
  });
});

test('the worker killed mid-registration: one event at O-PLUX, then the manual review and the black flag through the API', async () => {
  const workerEnv = {
    TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: db.url, SHOP_ID, SHOP_NOTIFY_EMAIL: NOTIFY_EMAIL,
    SMTP_URL: sandbox.smtpUrl, AUPAY_BASE_URL: sandbox.auPayBaseUrl,
    OPLUX_EVENT_URL: `${sandbox.url}/oplux/v2/event`, OPLUX_NORMALIZER_URL: `${sandbox.url}/oplux/name-normalizer/`,
    OPLUX_SHOP_ID: OPLUX_MERCHANT.shopId, OPLUX_CONNECTION_ID: OPLUX_MERCHANT.connectionId, OPLUX_SECRET_KEY: OPLUX_MERCHANT.secretKey,
    OPLUX_ORDER_OUT_CONTROL: 'ng-review-hold', OPLUX_TIMEOUT_MS: '10000',
  };
  const order = newReviewOrder({ orderId: 'CRASH-OPLUX-1' });
  // O-PLUX registers the event at once and answers 4 s later: the kill lands in between.
  await sandbox.control('POST', '/oplux/_sandbox/next-results', { results: [{ result: 'REVIEW', rules: [{ code: 'NEG_ITEM', description: '要確認' }] }] });
  await sandbox.control('POST', '/oplux/_sandbox/faults', { operation: 'registerEvent', kind: 'slow', delayMs: 4000, times: 1 });

  let worker = await startWorkerProcess(workerEnv);
  expect(await call('POST', '/orders', report(order))).toMatchObject({ status: 202, body: { workflowId: `oplux-fraud-review:${SHOP_ID}:${order.orderId}`, status: FRAUD_STATUS.reviewing } });
  // a repeated report finds the running review and says it changes nothing
  expect(await call('POST', '/orders', report(order))).toMatchObject({ status: 200, body: { note: expect.stringContaining('changes nothing') } });
  expect((await call('POST', '/orders', { ...report(order), amountJpy: 1 })).status).toBe(409);
  const registrations = () => sandbox.oplux.kit.ledger.list({ operation: 'registerEvent', orderId: order.orderId });
  await until(() => registrations().length === 1, 60_000);
  await worker.kill();

  worker = await startWorkerProcess(workerEnv);
  try {
    // The activity's 20 s start-to-close passes; its retry looks the event up by event_id_for_shop instead of registering.
    await until(reviewAt(order.orderId, FRAUD_STATUS.awaitingManual), 90_000);
    expect(registrations()).toHaveLength(1);
    const read = await call('GET', `/orders/${order.orderId}`);
    expect(read.body).toMatchObject({
      eventId: registrations()[0]!.key, reviewResult: 'REVIEW', processingResult: '審査済', ruleDescription: 'NEG_ITEM: 要確認',
      paymentStatus: '請求前', browserInfo: order.deviceInfo, ipAddress: order.ipAddress, status: FRAUD_STATUS.awaitingManual,
      registerAttempts: 2, outbox: [], // 制御する(自動審査NG,自動審査REVIEW,…): held back
    });

    expect((await call('POST', `/orders/${order.orderId}/relink`)).status).toBe(409);
    expect(await call('POST', `/orders/${order.orderId}/manual-review`, { result: 'OK', memo: '本人確認済み' })).toMatchObject({ status: 202, body: { accepted: true } });
    await until(reviewAt(order.orderId, FRAUD_STATUS.ok), 30_000);

    expect((await call('POST', `/orders/${order.orderId}/black-flag`, { flag: '1' })).status).toBe(202);
    await until(async () => (await getOpluxOrder(db.pool, SHOP_ID, order.orderId))?.blackFlag === '1', 30_000);
    const after = await call('GET', `/orders/${order.orderId}`);
    expect(after.body).toMatchObject({ manualResult: '10', manualMemo: '本人確認済み', blackFlag: '1', processingResult: '更新済', status: FRAUD_STATUS.ok });
    expect((after.body.outbox as unknown[]).length).toBe(1); // released by the manual OK
    const event = sandbox.oplux.detector.events.get(registrations()[0]!.key!)!;
    expect(event).toMatchObject({ maResult: 'OK', memo: '本人確認済み', blacked: true });
    expect(sandbox.oplux.kit.ledger.list({ orderId: order.orderId }).map((e) => e.operation)).toEqual(['registerEvent', 'updateEvent', 'updateEvent']);
  } finally {
    await worker.stop();
  }
}, 240_000);

