/**
 * `npm run bench:shops [-- --shops N] [-- --changes K]`: N shops (default 200), each with a Yahoo and an Amazon Pay
 * account, so each has both its schedules, on one dev server, database, API and the real worker process
 * (workers/main.ts), against one shop in the same run:
 * - the time to sync every shop's schedules (create, then a pass with nothing to change: the worker's reconcile),
 * - the schedule count the dev server lists,
 * - the worker's RSS after its start sync (one shop, then N),
 * - the time a settings change through the API takes to reach the schedule (PUT, then the schedule's spec shows it).
 * The figures that mean something are the ratios; nothing is asserted on time, only that every schedule is there.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client, type ScheduleDescription } from '@temporalio/client';
import { parseKeyRing } from '../common/account-crypto';
import { createAccountStore } from '../db/provider-accounts';
import { insertShop, putSettings } from '../db/shops';
import { createShopDirectory } from '../shops/shop-directory';
import { reviewReportScheduleId, syncAllShopSchedules, yahooSweepScheduleId } from '../shops/shop-schedules';
import { startTestDatabase } from '../tests/support/database';
import { startDevServer } from '../tests/support/dev-server';
import { callApi, startTestApi } from '../tests/support/test-api';
import { startWorkerProcess } from '../tests/support/worker-process';
import { until } from '../tests/support/until';
import { parseIntFlags } from './args';
import { percentile } from './run-phase';
import { runBench, type Cleanups } from './bench-main';

const USAGE = 'usage: npm run bench:shops -- [--shops N] [--changes K]   (positive integers; defaults 200 and 20)';
const TASK_QUEUE = 'bench-shops';
const shopId = (i: number) => `bench-shop-${String(i).padStart(4, '0')}`;

async function main(cleanups: Cleanups): Promise<number> {
  let args: { shops: number; changes: number };
  try {
    args = parseIntFlags(process.argv.slice(2), { shops: 200, changes: 20 }, USAGE);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  const N = args.shops;
  const { env, address } = await startDevServer();
  cleanups.push(() => env.teardown());
  const temporal = env.client as unknown as Client;
  const db = await startTestDatabase();
  cleanups.push(() => db.stop());
  const key = randomBytes(32).toString('base64');
  const accounts = createAccountStore(db.pool, parseKeyRing(`bench:${key}`, 'bench'));
  const api = await startTestApi({ temporal, db: db.pool, taskQueue: TASK_QUEUE, shops: createShopDirectory(db.pool), accounts });
  cleanups.push(() => api.stop());
  const sources = { db: db.pool, accounts, taskQueue: TASK_QUEUE };
  const created: string[] = [];
  cleanups.push(async () => {
    for (const id of created) await temporal.schedule.getHandle(id).delete().catch(() => undefined);
  });

  const addShops = async (from: number, to: number) => {
    for (let i = from; i < to; i += 1) {
      const id = shopId(i);
      await insertShop(db.pool, { id, name: id, adminEmails: [], notifyEmail: null, mailRoutes: {} });
      await accounts.put(id, 'yahoo', { sellerId: id, clientId: 'client', clientSecret: 'secret', refreshToken: `rt.${id}` });
      await accounts.put(id, 'amazon-pay', { merchantId: 'M', publicKeyId: 'K', privateKey: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----', region: 'jp', environment: 'sandbox' });
      // once a day: the schedules exist as in production, without sweeps firing at the worker during the run
      await putSettings(db.pool, id, 'yahoo', { sweepEveryMinutes: 1440 });
      await putSettings(db.pool, id, 'amazon-pay', { reviewReportEveryMinutes: 1440 });
      created.push(yahooSweepScheduleId(id), reviewReportScheduleId(id));
    }
  };
  const timed = async <T>(f: () => Promise<T>) => {
    const t0 = performance.now();
    const value = await f();
    return { value, ms: performance.now() - t0 };
  };
  const scheduleCount = async () => {
    let n = 0;
    for await (const s of temporal.schedule.list()) if (s.scheduleId.includes('bench-shop-')) n += 1;
    return n;
  };
  /** The worker process's RSS after its start sync (it logs 'shop schedules synced' before it polls). */
  const workerRss = async () => {
    let synced = '';
    const worker = await startWorkerProcess({
      DATABASE_URL: db.url, TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: TASK_QUEUE, SHOP_ID: 'bench-env',
      ACCOUNTS_KEYS: `bench:${key}`, ACCOUNTS_KEY_ID: 'bench',
    }, (line) => { if (line.includes('shop schedules synced')) synced = line; });
    try {
      await new Promise((r) => setTimeout(r, 2_000)); // settle
      const status = readFileSync(`/proc/${worker.process.pid}/status`, 'utf8');
      return { rssMb: Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024, synced: synced.replace(/^.*shop schedules synced /, '') };
    } finally {
      await worker.stop();
    }
  };
  /** K settings changes through the API, each until the schedule's spec shows it: the latencies in ms. */
  const settingsChanges = async (id: string) => {
    const latencies: number[] = [];
    for (let k = 0; k < args.changes; k += 1) {
      const minutes = 11 + (k % 2);
      const t0 = performance.now();
      const put = await callApi(`${api.url}/shops/${id}/settings/yahoo`, 'PUT', { sweepEveryMinutes: minutes });
      if (put.status !== 200) throw new Error(`PUT settings ${id}: ${put.status} ${put.text}`);
      await until(async () => {
        const d: ScheduleDescription = await temporal.schedule.getHandle(yahooSweepScheduleId(id)).describe();
        return d.spec.intervals?.[0]?.every === minutes * 60_000;
      }, 30_000, 5);
      latencies.push(performance.now() - t0);
    }
    return latencies;
  };

  // baseline: one shop
  await addShops(0, 1);
  const base = {
    create: await timed(() => syncAllShopSchedules(temporal, sources)),
    idle: await timed(() => syncAllShopSchedules(temporal, sources)),
    count: await until(async () => ((await scheduleCount()) === 2 ? 2 : undefined), 30_000, 250),
    worker: await workerRss(),
    change: await settingsChanges(shopId(0)),
  };
  // subject: N shops
  await addShops(1, N);
  const many = {
    create: await timed(() => syncAllShopSchedules(temporal, sources)),
    idle: await timed(() => syncAllShopSchedules(temporal, sources)),
    count: await until(async () => ((await scheduleCount()) === 2 * N ? 2 * N : undefined), 60_000, 500),
    worker: await workerRss(),
    change: await settingsChanges(shopId(N - 1)),
  };
  for (const r of [base, many]) if (r.create.value.failed || r.idle.value.failed) throw new Error('a shop failed to sync');

  const rows: Array<[string, number, number, number]> = [
    ['shops', N, 1, 0],
    ['schedules listed', many.count, base.count, 0],
    ['sync, creating all (ms)', many.create.ms, base.create.ms, 0],
    ['sync, nothing to change (ms)', many.idle.ms, base.idle.ms, 0],
    ['  per shop (ms)', many.idle.ms / N, base.idle.ms, 1],
    ['worker RSS after start sync (MB)', many.worker.rssMb, base.worker.rssMb, 1],
    [`settings change → schedule p50 (ms, ${args.changes})`, percentile(many.change, 50), percentile(base.change, 50), 1],
    ['settings change → schedule p95 (ms)', percentile(many.change, 95), percentile(base.change, 95), 1],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  const cell = (s: string) => s.padStart(12);
  console.log(`\n${''.padEnd(width)} ${cell(`${N} shops`)} ${cell('1 shop')} ${cell('ratio')}`);
  for (const [label, x, y, digits] of rows) console.log(`${label.padEnd(width)} ${cell(x.toFixed(digits))} ${cell(y.toFixed(digits))} ${cell(y ? `${(x / y).toFixed(2)}x` : '-')}`);
  console.log(`worker start sync: 1 shop: ${base.worker.synced}; ${N} shops: ${many.worker.synced}`);
  return 0;
}

runBench(main);
