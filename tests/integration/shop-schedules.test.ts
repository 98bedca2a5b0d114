import { Client, Connection, ScheduleNotFoundError, type ScheduleDescription } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createShopDirectory } from '../../shops/shop-directory';
import { reviewReportScheduleId, syncAllShopSchedules, syncShopSchedules, yahooSweepScheduleId } from '../../shops/shop-schedules';
import type { AccountStore } from '../../db/provider-accounts';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { startDevServer } from '../support/dev-server';
import { testAccounts } from '../support/order-out-fixtures';
import { callApi, startTestApi } from '../support/test-api';

/**
 * Each shop's schedules follow the shop through the real API, PostgreSQL and the Temporal dev server: an account gives
 * the shop its schedule with the settings' interval, a settings change retimes it, disabling deletes it, enabling
 * brings it back; a shop without the account has none; the worker's reconcile catches up what the API could not.
 */
const taskQueue = 'shop-schedules';
let env: TestWorkflowEnvironment;
let db: TestDatabase;
let accounts: AccountStore;
let api: Awaited<ReturnType<typeof startTestApi>>;
let temporal: Client;
const SHOPS = ['sched-a', 'sched-b', 'sched-none', 'sched-env'];

beforeAll(async () => {
  ({ env } = await startDevServer());
  db = await startTestDatabase();
  accounts = testAccounts(db.pool);
  temporal = env.client as unknown as Client;
  api = await startTestApi({ temporal, db: db.pool, taskQueue, shops: createShopDirectory(db.pool), accounts });
}, 120_000);

afterAll(async () => {
  // every schedule this file may have made
  await Promise.all(SHOPS.flatMap((s) => [yahooSweepScheduleId(s), reviewReportScheduleId(s)])
    .map((id) => temporal?.schedule.getHandle(id).delete().catch(() => undefined)));
  await api?.stop();
  await db?.stop();
  await env?.teardown();
});

const call = (method: string, path: string, body?: unknown) => callApi(`${api.url}${path}`, method, body);
const yahooAccount = (seller: string) => ({ sellerId: seller, clientId: 'client-id', clientSecret: 'client-secret', refreshToken: `rt.${seller}` });
const amazonPayAccount = { merchantId: 'MERCHANT1', publicKeyId: 'PUBKEY1', privateKey: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----' };

async function describe(id: string): Promise<ScheduleDescription | undefined> {
  try {
    return await temporal.schedule.getHandle(id).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return undefined;
    throw err;
  }
}
/** The schedule's interval in minutes, or undefined when there is no schedule. */
const everyMinutes = async (id: string) => {
  const d = await describe(id);
  return d && d.spec.intervals!.map((i) => i.every / 60_000);
};

test('an account gives the shop its sweep at the default 10 minutes; a settings change retimes it; disable deletes it, enable brings it back', async () => {
  expect((await call('POST', '/shops', { id: 'sched-a', name: 'A' })).status).toBe(201);
  expect(await describe(yahooSweepScheduleId('sched-a'))).toBeUndefined(); // no account yet: no sweep

  expect((await call('PUT', '/shops/sched-a/accounts/yahoo', yahooAccount('seller-a'))).status).toBe(200);
  const created = await describe(yahooSweepScheduleId('sched-a'));
  expect(created).toMatchObject({
    spec: { intervals: [{ every: 10 * 60_000 }] }, policies: { overlap: 'SKIP' },
    action: { type: 'startWorkflow', workflowType: 'yahooWindowSweepWorkflow', workflowId: yahooSweepScheduleId('sched-a'), args: ['sched-a'], taskQueue },
  });
  expect(await describe(reviewReportScheduleId('sched-a'))).toBeUndefined(); // no Amazon Pay account

  expect((await call('PUT', '/shops/sched-a/settings/yahoo', { sweepEveryMinutes: 3 })).status).toBe(200);
  expect(await everyMinutes(yahooSweepScheduleId('sched-a'))).toEqual([3]);
  // another yahoo setting: the schedule is already what it should be
  expect((await call('PUT', '/shops/sched-a/settings/yahoo', { sweepEveryMinutes: 3, deadlineAction: 'cancel' })).status).toBe(200);
  expect(await everyMinutes(yahooSweepScheduleId('sched-a'))).toEqual([3]);

  expect((await call('PATCH', '/shops/sched-a', { enabled: false })).status).toBe(200);
  expect(await describe(yahooSweepScheduleId('sched-a'))).toBeUndefined();
  expect((await call('PATCH', '/shops/sched-a', { enabled: false })).status).toBe(200); // again: nothing to delete, no error
  expect((await call('PATCH', '/shops/sched-a', { enabled: true })).status).toBe(200);
  expect(await everyMinutes(yahooSweepScheduleId('sched-a'))).toEqual([3]); // the stored interval, not the default
}, 60_000);

test('a shop without a Yahoo account has no sweep; two shops have two schedules with their own intervals', async () => {
  expect((await call('POST', '/shops', { id: 'sched-none', name: 'None' })).status).toBe(201);
  expect((await call('PUT', '/shops/sched-none/settings/yahoo', { sweepEveryMinutes: 5 })).status).toBe(200);
  expect((await call('PUT', '/shops/sched-none/settings/amazon-pay', { reviewReportEveryMinutes: 30 })).status).toBe(200);
  expect(await describe(yahooSweepScheduleId('sched-none'))).toBeUndefined();
  expect(await describe(reviewReportScheduleId('sched-none'))).toBeUndefined();

  expect((await call('POST', '/shops', { id: 'sched-b', name: 'B' })).status).toBe(201);
  expect((await call('PUT', '/shops/sched-b/settings/yahoo', { sweepEveryMinutes: 7 })).status).toBe(200); // before the account
  expect((await call('PUT', '/shops/sched-b/accounts/yahoo', yahooAccount('seller-b'))).status).toBe(200);
  expect((await call('PUT', '/shops/sched-b/accounts/amazon-pay', amazonPayAccount)).status).toBe(200);
  expect(await everyMinutes(yahooSweepScheduleId('sched-b'))).toEqual([7]);
  expect(await everyMinutes(yahooSweepScheduleId('sched-a'))).toEqual([3]);
  expect(await describe(reviewReportScheduleId('sched-b'))).toMatchObject({
    spec: { intervals: [{ every: 60 * 60_000 }] }, action: { workflowType: 'amazonPayReviewReportWorkflow', args: ['sched-b'], taskQueue },
  });
  expect((await call('PUT', '/shops/sched-b/settings/amazon-pay', { reviewReportEveryMinutes: 15 })).status).toBe(200);
  expect(await everyMinutes(reviewReportScheduleId('sched-b'))).toEqual([15]);
}, 60_000);

test('a change the API could not tell Temporal is stored, and the worker\'s reconcile syncs it; a removed account loses its schedule', async () => {
  // an API whose Temporal does not answer: the settings are stored all the same
  const down = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const offline = await startTestApi({ temporal: down, db: db.pool, taskQueue, shops: createShopDirectory(db.pool), accounts, temporalDeadlineMs: 1_000 });
  try {
    const put = await callApi(`${offline.url}/shops/sched-b/settings/yahoo`, 'PUT', { sweepEveryMinutes: 11 });
    expect(put).toMatchObject({ status: 200, body: { sweepEveryMinutes: 11 } });
  } finally {
    await offline.stop();
  }
  expect(await everyMinutes(yahooSweepScheduleId('sched-b'))).toEqual([7]); // Temporal was not told

  // the worker's pass: every shop in the table, and the configured shop of its environment (no row, no account)
  await db.pool.query(`DELETE FROM provider_accounts WHERE shop_id = 'sched-b' AND provider = 'amazon-pay'`);
  const sources = { db: db.pool, accounts, taskQueue, configured: { shopId: 'sched-env', yahoo: true, amazonPay: false } };
  const first = await syncAllShopSchedules(temporal, sources);
  expect(first.failed).toBe(0);
  expect(await everyMinutes(yahooSweepScheduleId('sched-b'))).toEqual([11]);
  expect(await describe(reviewReportScheduleId('sched-b'))).toBeUndefined(); // its account was removed
  expect(await everyMinutes(yahooSweepScheduleId('sched-env'))).toEqual([10]);
  expect(await everyMinutes(yahooSweepScheduleId('sched-a'))).toEqual([3]);
  expect(await describe(yahooSweepScheduleId('sched-none'))).toBeUndefined();

  // a second pass (the next start, the next reconcile) changes nothing
  const second = await syncAllShopSchedules(temporal, sources);
  expect(second.changes.filter((c) => c.change !== 'unchanged' && c.change !== 'absent')).toEqual([]);
  // two passes racing end in the same schedules, without an error
  const raced = await Promise.all([syncAllShopSchedules(temporal, sources), syncAllShopSchedules(temporal, sources)]);
  expect(raced.map((r) => r.failed)).toEqual([0, 0]);
}, 60_000);

test('two callers racing on a new shop: one creates, the other finds it and leaves it', async () => {
  await temporal.schedule.getHandle(yahooSweepScheduleId('sched-env')).delete();
  const state = {
    shopId: 'sched-env', enabled: true, taskQueue, has: { yahoo: true, amazonPay: false },
    settings: { yahoo: { sweepEveryMinutes: 4 }, amazonPay: { reviewReportEveryMinutes: 60 } },
  };
  const results = await Promise.all([syncShopSchedules(temporal, state), syncShopSchedules(temporal, state)]);
  const yahoo = results.map((r) => r.find((c) => c.process === 'yahoo')!.change).sort();
  expect(yahoo).toEqual(['created', 'unchanged']);
  expect(await everyMinutes(yahooSweepScheduleId('sched-env'))).toEqual([4]);
  // and two deleting at once: one deletes, the other finds none
  const gone = await Promise.all([syncShopSchedules(temporal, { ...state, enabled: false }), syncShopSchedules(temporal, { ...state, enabled: false })]);
  expect(gone.map((r) => r.find((c) => c.process === 'yahoo')!.change).sort()).toEqual(['absent', 'deleted']);
}, 60_000);
