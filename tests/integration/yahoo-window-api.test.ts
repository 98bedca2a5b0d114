import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createRenkeiWorker } from '../../workers/create-worker';
import { syncShopSchedules, yahooSweepScheduleId } from '../../shops/shop-schedules';
import { yahooPayMethodWindowWorkflow } from '../../workflows/yahoo-pay-method-window';
import { yahooPayMethodWindowWorkflowId } from '../../workflows/workflow-ids';
import { WINDOW_STATUS } from '../../workflows/yahoo-window-status';
import { windowStateQuery } from '../../workflows/yahoo-pay-method-window-messages';
import { activityDeps, SHOP_ID } from '../support/au-pay-fixtures';
import { callApi, startTestApi } from '../support/test-api';
import { startDevServer } from '../support/dev-server';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { workflowBundle } from '../support/workflow-bundle';
import { authErrorOrder, yahooDeps, yahooOrder, yahooTestShop, type YahooTestShop } from '../support/yahoo-fixtures';
import { until } from '../support/until';

/**
 * Yahoo's payment-method-change window through the real Temporal dev server, PostgreSQL, the sandbox and the API:
 * the Temporal Schedule's sweep finds the order, the Web UI's search attributes list it, the buyer's change is
 * found by the next sweep; an operator's decision goes through the API with its 400/404/409 answers.
 */
const taskQueue = 'yahoo-window-integration';
let env: TestWorkflowEnvironment;
let db: TestDatabase;
let sandbox: TestSandbox;
let shop: YahooTestShop;
let testApi: Awaited<ReturnType<typeof startTestApi>>;
let worker: Worker;
let running: Promise<void>;
let api: string;
let temporal: Client;

beforeAll(async () => {
  ({ env } = await startDevServer());
  [db, sandbox] = await Promise.all([startTestDatabase(), startTestSandbox()]);
  shop = yahooTestShop(sandbox);
  temporal = env.client as unknown as Client;
  testApi = await startTestApi({ temporal, db: db.pool, taskQueue });
  api = testApi.url;
  worker = await createRenkeiWorker({
    connection: env.nativeConnection, namespace: 'default', taskQueue, workflowBundle,
    deps: { ...activityDeps(db.pool, sandbox), ...yahooDeps(shop.shop) },
  });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  await temporal?.schedule.getHandle(yahooSweepScheduleId(SHOP_ID)).delete().catch(() => undefined);
  worker?.shutdown();
  await running;
  await testApi?.stop();
  await Promise.all([db?.stop(), sandbox?.stop()]);
  await env?.teardown();
});

const call = (method: string, path: string, body?: unknown) => callApi(`${api}${path}`, method, body);

const windowOf = (orderId: string) => call('GET', `/shops/${SHOP_ID}/yahoo/orders/${orderId}`);
/** The window at `status` in the API's answer and in the workflow itself (the row is written a workflow task earlier). */
const statusIs = (orderId: string, status: string) => async () => {
  const w = await windowOf(orderId);
  if (w.body.windowStatus !== status) return undefined;
  const live = await temporal.workflow.getHandle(yahooPayMethodWindowWorkflowId(SHOP_ID, orderId)).query(windowStateQuery).catch(() => undefined);
  return live?.status === status ? w.body : undefined;
};

test('the schedule sweeps: the order gets its window (listed in the Web UI by status and deadline), the buyer changes, the next sweep releases it', async () => {
  // the shop has Yahoo, sweeping every 2 s (a fraction of a minute: the test does not wait minutes)
  const shopState = {
    shopId: SHOP_ID, enabled: true, taskQueue, has: { yahoo: true, amazonPay: false },
    settings: { yahoo: { sweepEveryMinutes: 2 / 60 }, amazonPay: { reviewReportEveryMinutes: 60 } },
  };
  const order = await authErrorOrder(sandbox);
  await syncShopSchedules(temporal, shopState);
  // a worker restart: the existing schedule is left alone
  expect(await syncShopSchedules(temporal, shopState)).toContainEqual({ process: 'yahoo', scheduleId: yahooSweepScheduleId(SHOP_ID), change: 'unchanged' });
  const schedule = await temporal.schedule.getHandle(yahooSweepScheduleId(SHOP_ID)).describe();
  expect(schedule.policies.overlap).toBe('SKIP');

  const opened = await until(statusIs(order.OrderId, WINDOW_STATUS.waiting));
  expect(opened).toMatchObject({ deadline: new Date(order.PayMethodChangeDeadline!).toISOString(), deadlineSource: 'api', settleStatus: '10', outbox: [] });

  // the Web UI's list: the shop's windows still waiting, by their deadline attribute
  const listed = await until(async () => {
    const ids: string[] = [];
    for await (const w of temporal.workflow.list({ query: `ShopId = '${SHOP_ID}' AND YahooWindowStatus = '${WINDOW_STATUS.waiting}' AND PayMethodChangeDeadline > '${new Date().toISOString()}'` })) ids.push(w.workflowId);
    return ids.includes(yahooPayMethodWindowWorkflowId(SHOP_ID, order.OrderId)) ? ids : undefined;
  });
  expect(listed).toContain(yahooPayMethodWindowWorkflowId(SHOP_ID, order.OrderId));

  const early = await call('POST', `/shops/${SHOP_ID}/yahoo/orders/${order.OrderId}/decision`, { decision: 'cancel', operator: 'ops' });
  expect(early).toEqual({ status: 409, body: { error: `no decision is pending: the window is ${WINDOW_STATUS.waiting}`, status: WINDOW_STATUS.waiting } });

  await sandbox.control('POST', `/yahoo/_sandbox/orders/${order.OrderId}/pay-method-change`, { payMethod: 'payment_a1' });
  const released = await until(statusIs(order.OrderId, WINDOW_STATUS.changedReleased));
  expect(released).toMatchObject({ shipStatus: '1', settleStatus: '3', outbox: [expect.objectContaining({ event: 'yahoo.pay-method-changed' })] });
  expect(await yahooOrder(sandbox, order.OrderId)).toMatchObject({ ShipStatus: '1' });
  // the workflow closes a workflow task after the row is written: its result, then its status
  const handle = temporal.workflow.getHandle<typeof yahooPayMethodWindowWorkflow>(yahooPayMethodWindowWorkflowId(SHOP_ID, order.OrderId));
  expect(await handle.result()).toMatchObject({ status: WINDOW_STATUS.changedReleased });
  expect((await handle.describe()).status.name).toBe('COMPLETED');
  await temporal.schedule.getHandle(yahooSweepScheduleId(SHOP_ID)).delete();
}, 90_000);

test('deadline passed, operator setting: the decision API validates, answers 404/409, and "cancel" cancels at Yahoo', async () => {
  shop.window.deadlineAction = 'operator';
  const order = await authErrorOrder(sandbox, new Date(Date.now() - 10 * 86_400_000)); // its window closed yesterday
  await temporal.workflow.start(yahooPayMethodWindowWorkflow, {
    workflowId: yahooPayMethodWindowWorkflowId(SHOP_ID, order.OrderId), taskQueue, args: [{ shopId: SHOP_ID, orderId: order.OrderId }],
  });
  const waiting = await until(statusIs(order.OrderId, WINDOW_STATUS.expiredAwaitingOperator));
  expect(waiting).toMatchObject({ pendingDecision: { kind: 'deadline', options: ['cancel', 'keep'] } });

  const path = `/shops/${SHOP_ID}/yahoo/orders/${order.OrderId}/decision`;
  expect(await call('POST', path, { decision: 'drop', operator: '' })).toEqual({
    status: 400,
    body: { error: 'invalid request', issues: [{ field: 'decision', reason: 'cancel, keep or retry' }, { field: 'operator', reason: 'who decides (name or id)' }] },
  });
  expect((await call('POST', `/shops/${SHOP_ID}/yahoo/orders/no-such-order/decision`, { decision: 'cancel', operator: 'ops' })).status).toBe(404);
  expect((await call('POST', `/shops/other-shop/yahoo/orders/${order.OrderId}/decision`, { decision: 'cancel', operator: 'ops' })).status).toBe(404);
  expect((await call('GET', `/shops/${SHOP_ID}/yahoo/orders/bad%20id`)).status).toBe(400);
  const unauthorized = await fetch(`${api}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(unauthorized.status).toBe(401);
  expect(await call('POST', path, { decision: 'retry', operator: 'ops' })).toMatchObject({ status: 409, body: { error: `retry is not a choice at ${WINDOW_STATUS.expiredAwaitingOperator}; choose cancel or keep` } });

  expect(await call('POST', path, { decision: 'cancel', operator: '佐藤' })).toEqual({ status: 200, body: { previous: WINDOW_STATUS.expiredAwaitingOperator, decision: 'cancel' } });
  const canceled = await until(statusIs(order.OrderId, WINDOW_STATUS.expiredCanceled));
  expect(canceled).toMatchObject({ decision: 'cancel', decidedBy: '佐藤', orderStatus: '4', outbox: [expect.objectContaining({ event: 'yahoo.order-canceled' })] });
  expect(await yahooOrder(sandbox, order.OrderId)).toMatchObject({ OrderStatus: '4', CancelReason: '200' });
  expect((await call('POST', path, { decision: 'keep', operator: 'ops' })).status).toBe(409); // closed

  const list = await call('GET', `/shops/${SHOP_ID}/yahoo/windows?status=${encodeURIComponent(WINDOW_STATUS.expiredCanceled)}`);
  expect((list.body.windows as Array<{ orderId: string }>).map((w) => w.orderId)).toContain(order.OrderId);
  expect((await call('GET', `/shops/${SHOP_ID}/yahoo/windows?status=nope`)).status).toBe(400);
}, 60_000);

test('an operator runs a sweep now: 202 with its workflow id, audited; a viewer may not; a change to コンビニ is settled by the next one', async () => {
  const order = await authErrorOrder(sandbox);
  const sweepPath = `/shops/${SHOP_ID}/yahoo/sweep`;

  const viewer = await callApi<{ id: string }>(`${api}/operators`, 'POST', { name: 'sato-viewer', role: 'viewer', shops: null });
  const viewerToken = await callApi<{ token: string }>(`${api}/operators/${viewer.body.id}/tokens`, 'POST', { label: 'laptop' });
  const refused = await callApi(`${api}${sweepPath}`, 'POST', {}, viewerToken.body.token);
  expect(refused).toMatchObject({ status: 403, body: { needs: 'operator', role: 'viewer' } });

  const first = await call('POST', sweepPath, {});
  expect(first).toMatchObject({ status: 202, body: { workflowId: `yahoo-window-sweep-now:${SHOP_ID}`, started: true, runId: expect.any(String) } });
  const sweep = temporal.workflow.getHandle(first.body.workflowId as string, first.body.runId as string);
  expect(await sweep.result()).toMatchObject({ started: expect.any(Number) });
  await until(statusIs(order.OrderId, WINDOW_STATUS.waiting));

  // the buyer changes to コンビニ (SettleStatus 2): the window's own check is hours away, the sweep asked for now finds it
  await sandbox.control('POST', `/yahoo/_sandbox/orders/${order.OrderId}/pay-method-change`, { payMethod: 'payment_a7' });
  const second = await call('POST', sweepPath, {});
  expect(second).toMatchObject({ status: 202, body: { workflowId: first.body.workflowId, started: true } });
  expect(second.body.runId).not.toBe(first.body.runId);
  expect(await temporal.workflow.getHandle(second.body.workflowId as string, second.body.runId as string).result()).toMatchObject({ signalled: 1 });
  expect(await until(statusIs(order.OrderId, WINDOW_STATUS.changedAwaitingPayment))).toMatchObject({ settleStatus: '2', payMethod: 'payment_a7' });

  const audit = await callApi<{ entries: Array<{ action: string; outcome: string; operator: string }> }>(`${api}/shops/${SHOP_ID}/audit?action=yahoo.sweep`, 'GET');
  expect(audit.body.entries.map((e) => [e.outcome, e.operator])).toEqual([['applied', 'API_TOKEN'], ['applied', 'API_TOKEN']]);
});
