import { defaultPayloadConverter } from '@temporalio/common';
import { createShopDirectory } from '../../shops/shop-directory';
import { defaultSettings } from '../../shops/settings';
import { putSettings } from '../../db/shops';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { startDevServer } from '../support/dev-server';
import { API_TOKEN, callApi, startTestApi } from '../support/test-api';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

/** Shops as tenants: records and per-process settings in PostgreSQL, through the API, seen without a restart. */
let env: TestWorkflowEnvironment;
let db: TestDatabase;
let api: Awaited<ReturnType<typeof startTestApi>>;

beforeAll(async () => {
  ({ env } = await startDevServer());
  db = await startTestDatabase();
  api = await startTestApi({ temporal: env.client, db: db.pool, taskQueue: 'shops-api', shops: createShopDirectory(db.pool) });
}, 120_000);
afterAll(async () => {
  await api?.stop();
  await db?.stop();
  await env?.teardown();
});

type Issues = { issues?: Array<{ field: string; reason: string }> };
const call = <B = Record<string, unknown>>(method: string, path: string, body?: unknown, token: string | null = API_TOKEN) =>
  callApi<B & Issues>(`${api.url}${path}`, method, body, token);
const fields = (r: { body: Issues }) => (r.body.issues ?? []).map((i) => i.field);

async function tokenFor(name: string, role: string, shops: string[] | null): Promise<string> {
  const op = await call<{ id: string }>('POST', '/operators', { name, role, shops });
  return (await call<{ token: string }>('POST', `/operators/${op.body.id}/tokens`, {})).body.token;
}

test('a shop is created through the API and served at once; bad input is a 400 with the field; a twin is a 409', async () => {
  expect((await call('GET', '/shops/shop-a/au-pay/history')).status).toBe(404);
  const created = await call('POST', '/shops', { id: 'shop-a', name: 'ショップA', adminEmails: ['admin@a.example.jp'], notifyEmail: 'tsuchi@a.example.jp', mailRoutes: { 'au-pay-error': ['notify'] } });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ id: 'shop-a', enabled: true, adminEmails: ['admin@a.example.jp'], notifyEmail: 'tsuchi@a.example.jp', mailRoutes: { 'au-pay-error': ['notify'] } });
  expect((await call('GET', '/shops/shop-a/au-pay/history')).status).toBe(200);
  expect((await call('POST', '/shops', { id: 'shop-a', name: 'again' })).status).toBe(409);
  expect(fields(await call('POST', '/shops', { id: 'bad id', name: 'x', adminEmails: ['not-mail'] }))).toEqual(expect.arrayContaining(['id', 'adminEmails.0']));
  expect(fields(await call('POST', '/shops', { id: 'shop-x', name: 'x', mailRoutes: { 'au-pay-error': ['everyone'] } }))).toEqual(['mailRoutes.au-pay-error.0']);
});

test('each process has its settings with defaults; a replacement is checked (400 with the field), stored, audited and read back', async () => {
  await call('POST', '/shops', { id: 'shop-s', name: 'S' });
  const all = await call('GET', '/shops/shop-s/settings');
  expect(all.body).toEqual({ 'au-pay': defaultSettings('au-pay'), yahoo: defaultSettings('yahoo'), oplux: defaultSettings('oplux'), 'amazon-pay': defaultSettings('amazon-pay'), 'shipment-import': defaultSettings('shipment-import') });
  expect(all.body.yahoo).toMatchObject({ deadlineAction: 'operator', cancelReason: '200', requestsPerSecond: 5 });

  const put = await call('PUT', '/shops/shop-s/settings/yahoo', { deadlineAction: 'cancel', sweepEveryMinutes: 30 });
  expect(put.status).toBe(200);
  expect(put.body).toEqual({ ...defaultSettings('yahoo'), deadlineAction: 'cancel', sweepEveryMinutes: 30 });
  expect((await call('GET', '/shops/shop-s/settings/yahoo')).body).toEqual(put.body);
  // another shop keeps its own
  await call('POST', '/shops', { id: 'shop-t', name: 'T' });
  expect((await call('GET', '/shops/shop-t/settings/yahoo')).body).toEqual(defaultSettings('yahoo'));

  expect(fields(await call('PUT', '/shops/shop-s/settings/yahoo', { requestsPerSecond: 50 }))).toEqual(['requestsPerSecond']);
  expect(fields(await call('PUT', '/shops/shop-s/settings/au-pay', { autoShipInfo: 'on' }))).toEqual(['autoShipInfo']);
  expect((await call('PUT', '/shops/shop-s/settings/au-pay', { autoShipinfo: '停止' })).status).toBe(400); // misspelt: refused, not ignored
  expect(fields(await call('PUT', '/shops/shop-s/settings/oplux', { review: { nonCreditCardEnabled: true, paymentMapping: { cod: '03' } } }))).toEqual(['review.modelMapping.cod']);
  expect((await call('PUT', '/shops/shop-s/settings/nope', {})).status).toBe(404);
  expect((await call('GET', '/shops/shop-s/settings/yahoo')).body).toEqual(put.body); // the refused ones changed nothing

  const audit = await call<{ entries: Array<{ action: string; process: string; outcome: string; input: unknown }> }>('GET', '/shops/shop-s/audit?action=settings.put');
  expect(audit.body.entries).toEqual([expect.objectContaining({ process: 'yahoo', outcome: 'applied', input: put.body })]);
});

test('roles: settings need an admin who sees the shop; shops are created by an admin of every shop', async () => {
  await call('POST', '/shops', { id: 'shop-r', name: 'R' });
  const operator = await tokenFor('shops-operator', 'operator', ['shop-r']);
  const shopAdmin = await tokenFor('shops-admin', 'admin', ['shop-r']);
  expect((await call('GET', '/shops/shop-r/settings/au-pay', undefined, operator)).status).toBe(200);
  expect((await call('PUT', '/shops/shop-r/settings/au-pay', { autoCompletion: '停止' }, operator)).status).toBe(403);
  expect((await call('PUT', '/shops/shop-r/settings/au-pay', { autoCompletion: '停止' }, shopAdmin)).body).toMatchObject({ autoCompletion: '停止' });
  expect((await call<{ shops: Array<{ id: string }> }>('GET', '/shops', undefined, shopAdmin)).body.shops.map((s) => s.id)).toEqual(['shop-r']);
  expect((await call('GET', '/shops/shop-a', undefined, shopAdmin)).status).toBe(404);
  expect((await call('PUT', '/shops/shop-a/settings/au-pay', {}, shopAdmin)).status).toBe(404);
  expect((await call('POST', '/shops', { id: 'shop-z', name: 'Z' }, shopAdmin)).status).toBe(403);
});

test('a disabled shop is 404 at once, still readable by its admin, and served again when enabled', async () => {
  await call('POST', '/shops', { id: 'shop-d', name: 'D' });
  expect((await call('GET', '/shops/shop-d/au-pay/history')).status).toBe(200);
  expect((await call('PATCH', '/shops/shop-d', { enabled: false })).body).toMatchObject({ enabled: false });
  expect((await call('GET', '/shops/shop-d/au-pay/history')).status).toBe(404);
  expect((await call('GET', '/shops/shop-d')).body).toMatchObject({ id: 'shop-d', enabled: false });
  expect((await call('PATCH', '/shops/shop-d', { enabled: true })).status).toBe(200);
  expect((await call('GET', '/shops/shop-d/au-pay/history')).status).toBe(200);
  expect(fields(await call('PATCH', '/shops/shop-d', {}))).toEqual(['(body)']);
});

test('another process sees a settings change within its 5 s cache, without a restart', async () => {
  await call('POST', '/shops', { id: 'shop-c', name: 'C' });
  let now = 1_000_000;
  const worker = createShopDirectory(db.pool, { now: () => now }); // as the worker holds it
  expect((await worker.settings('shop-c', 'au-pay')).autoCompletion).toBe('開始');
  await putSettings(db.pool, 'shop-c', 'au-pay', { ...defaultSettings('au-pay'), autoCompletion: '停止' });
  now += 4_999;
  expect((await worker.settings('shop-c', 'au-pay')).autoCompletion).toBe('開始');
  now += 1;
  expect((await worker.settings('shop-c', 'au-pay')).autoCompletion).toBe('停止');
});

test('an Amazon Pay authorization without オーソリ時確定フラグ takes the shop\'s setting; one that says it keeps its own', async () => {
  await call('POST', '/shops', { id: 'shop-p', name: 'P' });
  expect((await call('PUT', '/shops/shop-p/settings/amazon-pay', { captureOnAuthorization: true })).status).toBe(200);
  const startedWith = async (body: Record<string, unknown>) => {
    const res = await call<{ workflowId: string }>('POST', '/shops/shop-p/amazon-pay/authorizations', body);
    expect(res.status).toBe(202);
    const history = await env.client.workflow.getHandle(res.body.workflowId).fetchHistory();
    const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    return defaultPayloadConverter.fromPayload<{ captureOnAuthorization: boolean }>(input).captureOnAuthorization;
  };
  expect(await startedWith({ orderId: 'P-1', chargePermissionId: 'S01-0000000-0000001', amountJpy: 1000 })).toBe(true);
  expect(await startedWith({ orderId: 'P-2', chargePermissionId: 'S01-0000000-0000002', amountJpy: 1000, captureOnAuthorization: false })).toBe(false);
});
