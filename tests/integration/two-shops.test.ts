import { randomBytes } from 'node:crypto';
import { Client, ScheduleNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { parseKeyRing } from '../../common/account-crypto';
import { createAccountStore } from '../../db/provider-accounts';
import { createShopDirectory } from '../../shops/shop-directory';
import { reviewReportScheduleId, yahooSweepScheduleId } from '../../shops/shop-schedules';
import type { SweepResult } from '../../activities/yahoo-window-activities';
import { AU_PAY_ERROR_SUBJECTS } from '../../mail/au-pay-error-mail';
import { LINK_STATUS } from '../../workflows/au-pay-link-status';
import { linkStateQuery } from '../../workflows/au-pay-shipment-messages';
import { FRAUD_STATUS } from '../../workflows/oplux-review-rules';
import { yahooPayMethodWindowWorkflow } from '../../workflows/yahoo-pay-method-window';
import { WINDOW_STATUS } from '../../workflows/yahoo-window-status';
import { auPayShipmentWorkflowId, yahooPayMethodWindowWorkflowId } from '../../workflows/workflow-ids';
import { startDevServer } from '../support/dev-server';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { AU_API_KEY, AU_SHOP_ID, startTestSandbox, type TestSandbox } from '../support/sandbox';
import { callApi, startTestApi } from '../support/test-api';
import { newReviewOrder } from '../support/oplux-fixtures';
import { startWorkerProcess } from '../support/worker-process';
import { until } from '../support/until';

/**
 * Issue 12's proof: two shops, each with its own addresses, provider accounts (au PAY store, Yahoo seller and app,
 * O-PLUX merchant, all registered at the sandbox) and settings, served at once by one worker process started from
 * its own entry point, through the real API, PostgreSQL, the Temporal dev server and the sandbox. The worker's
 * configured SHOP_ID is a third shop, so nothing either shop does can come from the environment's fallback.
 */
const taskQueue = 'two-shops';
const ENV_SHOP = 'shop-env';
const ENV_NOTIFY = 'env@env-shop.example.jp';
const keyRing = `test:${randomBytes(32).toString('base64')}`;

interface TestShop {
  id: string;
  adminEmails: string[];
  notifyEmail: string;
  auPay: { shopId: string; apiKey: string };
  yahoo: { sellerId: string; clientId: string; clientSecret: string };
  oplux: { merchantId: string; accessId: string; secret: string };
  sweepEveryMinutes: number;
}
const shop = (id: string, n: string, sweepEveryMinutes: number, adminEmails: string[]): TestShop => ({
  id, adminEmails, notifyEmail: `ops@${id}.example.jp`, sweepEveryMinutes,
  auPay: { shopId: `${n}0000001`, apiKey: `au-key-${id}` },
  yahoo: { sellerId: `${id}-store`, clientId: `${id}-app`, clientSecret: `${id}-app-secret` },
  oplux: { merchantId: `OPLUX-${id.toUpperCase()}`, accessId: `CONN-${id.toUpperCase()}`, secret: `${id}-oplux-secret` },
});
const EAST = shop('shop-east', '1', 1440, [`boss@shop-east.example.jp`]);
const WEST = shop('shop-west', '2', 720, [`boss@shop-west.example.jp`, `sub@shop-west.example.jp`]);
const ALL_ADDRESSES = (s: TestShop) => [...s.adminEmails, s.notifyEmail].sort();

let env: TestWorkflowEnvironment;
let temporal: Client;
let db: TestDatabase;
let sandbox: TestSandbox;
let api: Awaited<ReturnType<typeof startTestApi>>;
let worker: Awaited<ReturnType<typeof startWorkerProcess>> | undefined;
/** Every Yahoo wire call the sandbox let through: the API, and the app (its token) and store it was made as. */
const yahooCalls: Array<{ api: string; clientId: string; sellerId: string }> = [];

const call = <B = Record<string, unknown>>(method: string, path: string, body?: unknown) => callApi<B>(`${api.url}${path}`, method, body);

/** The shop, its settings and its accounts through the API; its accounts registered at the sandbox first. */
async function setUpShop(s: TestShop, settings: { auPay: object; yahoo: object; oplux: object }, mailRoutes: object): Promise<void> {
  await sandbox.control('POST', '/au-pay/_sandbox/shops', s.auPay);
  await sandbox.control('POST', '/yahoo/_sandbox/apps', s.yahoo);
  const { refresh_token: refreshToken } = await sandbox.control<{ refresh_token: string }>('POST', `/yahoo/_sandbox/apps/${s.yahoo.clientId}/tokens`);
  await sandbox.control('POST', '/oplux/_sandbox/merchants', { shopId: s.oplux.merchantId, connectionId: s.oplux.accessId, secretKey: s.oplux.secret });

  expect((await call('POST', '/shops', { id: s.id, name: s.id, adminEmails: s.adminEmails, notifyEmail: s.notifyEmail, mailRoutes })).status).toBe(201);
  expect((await call('PUT', `/shops/${s.id}/settings/au-pay`, settings.auPay)).status).toBe(200);
  expect((await call('PUT', `/shops/${s.id}/settings/yahoo`, { ...settings.yahoo, sweepEveryMinutes: s.sweepEveryMinutes })).status).toBe(200);
  expect((await call('PUT', `/shops/${s.id}/settings/oplux`, settings.oplux)).status).toBe(200);
  expect((await call('PUT', `/shops/${s.id}/accounts/au-pay`, { ...s.auPay, apiKeyIssuedOn: '2026-01-05' })).status).toBe(200);
  expect((await call('PUT', `/shops/${s.id}/accounts/yahoo`, { sellerId: s.yahoo.sellerId, clientId: s.yahoo.clientId, clientSecret: s.yahoo.clientSecret, refreshToken })).status).toBe(200);
  expect((await call('PUT', `/shops/${s.id}/accounts/oplux`, s.oplux)).status).toBe(200);
}

beforeAll(async () => {
  let address: string;
  ({ env, address } = await startDevServer());
  temporal = env.client as unknown as Client;
  [db, sandbox] = await Promise.all([startTestDatabase(), startTestSandbox()]);
  const { auth } = sandbox.yahoo;
  const authorize = auth.authorize.bind(auth);
  auth.authorize = (header, apiName) => {
    const r = authorize(header, apiName);
    if (r.ok) yahooCalls.push({ api: apiName, clientId: r.value.clientId, sellerId: r.value.sellerId });
    return r;
  };
  const accounts = createAccountStore(db.pool, parseKeyRing(keyRing, 'test'));
  api = await startTestApi({ temporal, db: db.pool, taskQueue, shops: createShopDirectory(db.pool), accounts });

  await setUpShop(EAST, { auPay: { autoCompletion: '停止' }, yahoo: { deadlineAction: 'cancel', cancelReason: '170' }, oplux: { orderOutControl: 'none' } },
    { 'au-pay-error': ['notify'] });
  await setUpShop(WEST, { auPay: {}, yahoo: { deadlineAction: 'operator' }, oplux: { orderOutControl: 'ng-review-hold' } }, {});

  // the environment's shop: its own au PAY store (the sandbox's test store), no Yahoo, no O-PLUX
  worker = await startWorkerProcess({
    TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: db.url, SMTP_URL: sandbox.smtpUrl,
    ACCOUNTS_KEYS: keyRing, ACCOUNTS_KEY_ID: 'test', SHOP_ID: ENV_SHOP, SHOP_NOTIFY_EMAIL: ENV_NOTIFY,
    AUPAY_BASE_URL: sandbox.auPayBaseUrl, AUPAY_SHOP_ID: AU_SHOP_ID, AUPAY_API_KEY: AU_API_KEY,
    YAHOO_API_BASE_URL: `${sandbox.url}/yahoo/ShoppingWebService/V1`, YAHOO_TOKEN_URL: `${sandbox.url}/yahoo/yconnect/v2`,
    OPLUX_EVENT_URL: `${sandbox.url}/oplux/v2/event`, OPLUX_NORMALIZER_URL: `${sandbox.url}/oplux/name-normalizer/`, OPLUX_TIMEOUT_MS: '10000',
  });
}, 180_000);

afterAll(async () => {
  await Promise.all([EAST, WEST].flatMap((s) => [yahooSweepScheduleId(s.id), reviewReportScheduleId(s.id)])
    .map((id) => temporal?.schedule.getHandle(id).delete().catch(() => undefined)));
  await worker?.stop();
  await api?.stop();
  await Promise.all([db?.stop(), sandbox?.stop()]);
  await env?.teardown();
});

test('au PAY: east (自動受注完了ステータス反映 停止) stays 出荷情報反映済み, west completes; each pushed with its own store id', async () => {
  // the same au PAY order number at both stores (and at the environment's): only the store id tells them apart
  const auPayOrderId = '930000001';
  for (const store of [EAST.auPay.shopId, WEST.auPay.shopId, AU_SHOP_ID]) sandbox.auPay.market.createTrade({ shopId: store, orderId: auPayOrderId });
  const ship = (s: TestShop) => call('POST', `/shops/${s.id}/au-pay/shipments`, {
    orderId: `AU-${s.id}`, auPayOrderId, managementClass: '通常', shipDate: '2026-11-20', carrier: '1', trackingNumber: `T-${s.id}`,
  });
  expect((await ship(EAST)).status).toBe(202);
  expect((await ship(WEST)).status).toBe(202);

  const handle = (s: TestShop) => temporal.workflow.getHandle(auPayShipmentWorkflowId(s.id, `AU-${s.id}`));
  expect((await handle(WEST).result()).status).toBe(LINK_STATUS.completed);
  await until(async () => (await handle(EAST).query(linkStateQuery).catch(() => undefined))?.waiting === '自動受注完了ステータス反映が停止中です', 60_000);
  expect((await call('GET', `/shops/${EAST.id}/au-pay/orders/AU-${EAST.id}`)).body.linkStatus).toBe(LINK_STATUS.shipped);
  expect((await call('GET', `/shops/${WEST.id}/au-pay/orders/AU-${WEST.id}`)).body.linkStatus).toBe(LINK_STATUS.completed);

  // each store's trade got its own shop's pushes, the environment's store none
  const trade = (store: string) => sandbox.auPay.market.trade(store, auPayOrderId);
  expect(trade(EAST.auPay.shopId)).toMatchObject({ shippingNumber: `T-${EAST.id}`, orderStatus: '発送待ち' });
  expect(trade(WEST.auPay.shopId)).toMatchObject({ shippingNumber: `T-${WEST.id}`, orderStatus: '完了' });
  expect(trade(AU_SHOP_ID)).toMatchObject({ shippingNumber: '', orderStatus: '発送待ち' });
  const applied = sandbox.auPay.kit.ledger.list({ orderId: auPayOrderId }).filter((e) => e.applied).map((e) => e.operation).sort();
  expect(applied).toEqual(['updateTradeInfoProc', 'updateTradeInfoProc', 'updateTradeStsProc']);

  // east's chain ends: marked done by hand, nothing pushed
  expect((await call('POST', `/shops/${EAST.id}/au-pay/orders/AU-${EAST.id}/link-status`, { status: LINK_STATUS.completed })).status).toBe(200);
  expect((await handle(EAST).result()).status).toBe(LINK_STATUS.completed);
  expect(trade(EAST.auPay.shopId)!.orderStatus).toBe('発送待ち');
}, 120_000);

/** An order paid by card at the shop's Yahoo store whose authorization failed at `at`. */
async function authErrorOrder(s: TestShop, at: Date): Promise<string> {
  const order = await sandbox.control<{ OrderId: string }>('POST', '/yahoo/_sandbox/orders', {
    sellerId: s.yahoo.sellerId, orderTime: new Date(at.getTime() - 3_600_000).toISOString(), payMethod: 'payment_a1',
  });
  await sandbox.control('POST', `/yahoo/_sandbox/orders/${order.OrderId}/authorization-error`, { at: at.toISOString() });
  return order.OrderId;
}
const windowStatus = async (s: TestShop, orderId: string) => (await call('GET', `/shops/${s.id}/yahoo/orders/${orderId}`)).body.windowStatus;
const yahooOrder = (orderId: string) => sandbox.control<{ OrderStatus: string; CancelReason: string }>('GET', `/yahoo/_sandbox/orders/${orderId}`);
const sellersOf = (calls: typeof yahooCalls) => [...new Set(calls.map((c) => `${c.clientId}/${c.sellerId}`))];

test('Yahoo: an expired window is canceled at east and waits for an operator at west, each called as its own store', async () => {
  const before = yahooCalls.length;
  const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
  const orders = { east: await authErrorOrder(EAST, tenDaysAgo), west: await authErrorOrder(WEST, tenDaysAgo) };
  for (const [s, orderId] of [[EAST, orders.east], [WEST, orders.west]] as const) {
    await temporal.workflow.start(yahooPayMethodWindowWorkflow, {
      workflowId: yahooPayMethodWindowWorkflowId(s.id, orderId), taskQueue, args: [{ shopId: s.id, orderId }],
    });
  }
  await until(async () => (await windowStatus(EAST, orders.east)) === WINDOW_STATUS.expiredCanceled, 60_000);
  await until(async () => (await windowStatus(WEST, orders.west)) === WINDOW_STATUS.expiredAwaitingOperator, 60_000);
  expect(await yahooOrder(orders.east)).toMatchObject({ OrderStatus: '4', CancelReason: '170' });
  expect((await yahooOrder(orders.west)).OrderStatus).not.toBe('4');
  // the operator keeps west's order: its window ends too
  expect((await call('POST', `/shops/${WEST.id}/yahoo/orders/${orders.west}/decision`, { decision: 'keep' })).status).toBe(200);
  await temporal.workflow.getHandle(yahooPayMethodWindowWorkflowId(WEST.id, orders.west)).result();
  await temporal.workflow.getHandle(yahooPayMethodWindowWorkflowId(EAST.id, orders.east)).result();

  // the sandbox answers a store only with its own app's token and SellerId: each order was reached as its store
  const calls = yahooCalls.slice(before);
  expect(calls.filter((c) => c.api === 'orderStatusChange').map((c) => c.sellerId)).toEqual([EAST.yahoo.sellerId]);
  expect(sellersOf(calls).sort()).toEqual([`${EAST.yahoo.clientId}/${EAST.yahoo.sellerId}`, `${WEST.yahoo.clientId}/${WEST.yahoo.sellerId}`]);
}, 120_000);

test('O-PLUX: a REVIEW result releases the order data OUT row at east (制御しない), holds it at west (制御する); each under its own merchant', async () => {
  await sandbox.control('POST', '/oplux/_sandbox/next-results', { results: [1, 2].map(() => ({ result: 'REVIEW', rules: [{ code: 'NEG_ITEM', description: '要確認' }] })) });
  const reviewed = async (s: TestShop) => {
    const { shopId: _shop, ...order } = newReviewOrder({ orderId: `OP-${s.id}` });
    expect((await call('POST', `/shops/${s.id}/oplux/orders`, order)).status).toBe(202);
    return order.orderId;
  };
  const orders = await Promise.all([reviewed(EAST), reviewed(WEST)]);
  const read = (s: TestShop, orderId: string) => call<{ status: string; eventId: string; outbox: unknown[] }>('GET', `/shops/${s.id}/oplux/orders/${orderId}`);
  const [east, west] = await Promise.all([EAST, WEST].map((s, i) => until(async () => {
    const r = await read(s, orders[i]!);
    return r.body.status === FRAUD_STATUS.awaitingManual && r.body;
  }, 60_000)));
  expect(east!.outbox).toHaveLength(1);
  expect(west!.outbox).toHaveLength(0);

  // each event was registered under its shop's merchant, and only there
  const events = async (s: TestShop) => (await sandbox.control<{ events: Array<{ id: string }> }>('GET', `/oplux/_sandbox/events?shopId=${s.oplux.merchantId}`)).events.map((e) => e.id);
  expect(await events(EAST)).toEqual([east!.eventId]);
  expect(await events(WEST)).toEqual([west!.eventId]);

  // the operator's OK ends both reviews
  for (const [s, orderId] of [[EAST, orders[0]!], [WEST, orders[1]!]] as const) {
    expect((await call('POST', `/shops/${s.id}/oplux/orders/${orderId}/manual-review`, { result: 'OK' })).status).toBe(202);
    await until(async () => (await read(s, orderId)).body.status === FRAUD_STATUS.ok, 30_000);
  }
}, 120_000);

test('each shop\'s mails reach its own addresses only, as its mail routes say', async () => {
  // an au PAY order with no ship date at each shop: 出荷情報反映エラー and a mail to the shop
  for (const s of [EAST, WEST]) {
    sandbox.auPay.market.createTrade({ shopId: s.auPay.shopId, orderId: '930000002' });
    const report = { orderId: `MAIL-${s.id}`, auPayOrderId: '930000002', managementClass: '通常', shipDate: null, carrier: '1', trackingNumber: '1' };
    expect((await call('POST', `/shops/${s.id}/au-pay/shipments`, report)).status).toBe(202);
  }
  type Mail = { recipient: string; subject: string; status: string };
  const mailsOf = async (s: TestShop) => (await call<{ mails: Mail[] }>('GET', `/shops/${s.id}/mails?limit=500`)).body.mails;
  // the au PAY error mails and the Yahoo ones (the order data OUT failure mails of these shops, which keep no external
  // system, go to every address of the shop: not what this test routes)
  const routed = (m: { subject: string }) => !m.subject.includes('受注データ連携OUT');
  const recipients = async (s: TestShop) => [...new Set((await mailsOf(s)).filter(routed).map((m) => m.recipient))].sort();
  // east routes au PAY errors to its 通知先 alone; west sends everything to all its addresses (the Yahoo deadline mail too)
  const auPayErrors = async (s: TestShop) => (await mailsOf(s)).filter((m) => m.subject === AU_PAY_ERROR_SUBJECTS.shipping).length;
  await until(async () => (await auPayErrors(EAST)) === 1 && (await auPayErrors(WEST)) === 3, 60_000);
  expect(await recipients(EAST)).toEqual([EAST.notifyEmail]);
  expect(await recipients(WEST)).toEqual(ALL_ADDRESSES(WEST));

  // what the SMTP sink received: each address only its own shop's mails, nothing to the environment's address
  await until(() => sandbox.sink.messages({ to: EAST.notifyEmail }).length > 0 && ALL_ADDRESSES(WEST).every((a) => sandbox.sink.messages({ to: a }).length > 0), 30_000);
  expect(sandbox.sink.messages({ to: ENV_NOTIFY })).toEqual([]);
  expect(sandbox.sink.messages({ to: EAST.adminEmails[0] }).filter(routed)).toEqual([]);
  const addressed = new Set(sandbox.sink.messages().filter(routed).flatMap((m) => m.to.map((t) => t.toLowerCase())));
  expect([...addressed].sort()).toEqual([EAST.notifyEmail, ...ALL_ADDRESSES(WEST)].sort());

  // the chains end: marked done by hand
  for (const s of [EAST, WEST]) {
    await until(async () => (await call('GET', `/shops/${s.id}/au-pay/orders/MAIL-${s.id}`)).body.linkStatus === LINK_STATUS.shipError, 30_000);
    expect((await call('POST', `/shops/${s.id}/au-pay/orders/MAIL-${s.id}/link-status`, { status: LINK_STATUS.completed })).status).toBe(200);
  }
}, 120_000);

test('each shop has its own sweep schedule; triggered, each sweep lists as its own store and starts windows for its own orders', async () => {
  for (const s of [EAST, WEST]) {
    expect(await temporal.schedule.getHandle(yahooSweepScheduleId(s.id)).describe()).toMatchObject({
      spec: { intervals: [{ every: s.sweepEveryMinutes * 60_000 }] },
      action: { type: 'startWorkflow', workflowType: 'yahooWindowSweepWorkflow', args: [s.id], taskQueue },
    });
  }
  const inWindow = { east: await authErrorOrder(EAST, new Date()), west: await authErrorOrder(WEST, new Date()) };

  for (const [s, own, other] of [[EAST, inWindow.east, inWindow.west], [WEST, inWindow.west, inWindow.east]] as const) {
    const before = yahooCalls.length;
    const schedule = temporal.schedule.getHandle(yahooSweepScheduleId(s.id));
    const triggeredAt = Date.now() - 1_000;
    await schedule.trigger();
    // the first run taken after the trigger
    const action = await until(async () => (await schedule.describe()).info.recentActions.find((a) => a.takenAt.getTime() >= triggeredAt)?.action, 30_000);
    const result: SweepResult = await temporal.workflow.getHandle(action.workflow.workflowId, action.workflow.firstExecutionRunId).result();
    expect(result).toMatchObject({ started: 1 });
    const lists = yahooCalls.slice(before).filter((c) => c.api === 'orderList');
    expect(lists.length).toBeGreaterThan(0);
    expect(sellersOf(lists)).toEqual([`${s.yahoo.clientId}/${s.yahoo.sellerId}`]);

    // the window of its own order, under its own shop; none for the other store's order
    const own$ = temporal.workflow.getHandle(yahooPayMethodWindowWorkflowId(s.id, own));
    expect((await own$.describe()).status.name).toBe('RUNNING');
    await expect(temporal.workflow.getHandle(yahooPayMethodWindowWorkflowId(s.id, other)).describe()).rejects.toThrow();
    await own$.terminate('two-shops: the window would run until its deadline'); // its deadline is days away
  }
}, 120_000);

test('a third, unknown shop is 404 on its routes', async () => {
  for (const [method, path, body] of [
    ['GET', '/shops/shop-north'], ['PATCH', '/shops/shop-north', { enabled: false }], ['GET', '/shops/shop-north/settings/au-pay'],
    ['PUT', '/shops/shop-north/settings/yahoo', { deadlineAction: 'cancel' }], ['PUT', '/shops/shop-north/accounts/oplux', EAST.oplux],
    ['GET', '/shops/shop-north/mails'], ['GET', '/shops/shop-north/au-pay/orders/AU-shop-east'],
    ['POST', '/shops/shop-north/oplux/orders', { orderId: 'X-1' }], ['GET', `/shops/shop-north/yahoo/orders/X-1`],
  ] as const) {
    expect({ method, path, status: (await call(method, path, body)).status }).toEqual({ method, path, status: 404 });
  }
  // the shops known are the two and the environment's own, seeded by the worker
  const { shops } = (await call<{ shops: Array<{ id: string }> }>('GET', '/shops')).body;
  expect(shops.map((s) => s.id).sort()).toEqual([ENV_SHOP, EAST.id, WEST.id].sort());
});

test('a disabled shop\'s schedules stop; the other shop\'s remain', async () => {
  const exists = (s: TestShop) => temporal.schedule.getHandle(yahooSweepScheduleId(s.id)).describe().then(() => true, (err) => {
    if (err instanceof ScheduleNotFoundError) return false;
    throw err;
  });
  expect([await exists(EAST), await exists(WEST)]).toEqual([true, true]);
  expect((await call('PATCH', `/shops/${EAST.id}`, { enabled: false })).status).toBe(200);
  expect([await exists(EAST), await exists(WEST)]).toEqual([false, true]);
});
