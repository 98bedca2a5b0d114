/**
 * `npm run bench:bulk [-- --orders N]`: one bulk reset of N au PAY orders in 出荷情報反映エラー to 空欄 against N single
 * calls of POST /shops/:shop/au-pay/orders/:id/link-status made one after another, on one dev server, API, database
 * and worker, in the same run. Each reset re-runs the order's chain (no ship date: it stops at the error again), in
 * both phases alike. The figure that means something is the ratio; nothing is asserted on time, only that every
 * order was reset.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime } from '@temporalio/worker';
import { temporalSdkLogger } from '../common/temporal-logger';
import { registerSearchAttributes } from '../workers/register-search-attributes';
import { temporalCliPath } from '../common/temporal-binaries';
import { LINK_STATUS } from '../workflows/au-pay-link-status';
import { createRenkeiWorker } from '../workers/create-worker';
import { activityDeps, SHOP_ID } from '../tests/support/au-pay-fixtures';
import { startTestDatabase } from '../tests/support/database';
import { startTestSandbox } from '../tests/support/sandbox';
import { callApi, startTestApi } from '../tests/support/test-api';
import { until } from '../tests/support/until';
import { parseIntFlags } from './args';
import { runBench, type Cleanups } from './bench-main';
import { runPhase } from './run-phase';

const USAGE = 'usage: npm run bench:bulk -- [--orders N]   (a positive integer, at most 10000; default 1000)';
const TASK_QUEUE = 'bench-bulk';

async function main(cleanups: Cleanups): Promise<number> {
  let args: { orders: number };
  try {
    args = parseIntFlags(process.argv.slice(2), { orders: 1000 }, USAGE);
    if (args.orders > 10_000) throw new Error(USAGE);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  Runtime.install({ logger: temporalSdkLogger('warn') }); // the SDK's lines as renkei's, warn and above
  const N = args.orders;
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: temporalCliPath() }, ui: false, extraArgs: ['--ui-disable-news-fetch'] },
  });
  cleanups.push(() => env.teardown());
  await registerSearchAttributes(env.connection, 'default');
  const [db, sandbox] = await Promise.all([startTestDatabase(), startTestSandbox()]);
  cleanups.push(() => Promise.all([db.stop(), sandbox.stop()]));
  const api = await startTestApi({ temporal: env.client, db: db.pool, taskQueue: TASK_QUEUE });
  cleanups.push(() => api.stop());
  const worker = await createRenkeiWorker({
    connection: env.nativeConnection, namespace: 'default', taskQueue: TASK_QUEUE,
    deps: { ...activityDeps(db.pool, sandbox), temporal: { client: env.client, taskQueue: TASK_QUEUE } },
  });
  const running = worker.run();
  cleanups.push(async () => {
    worker.shutdown();
    await running;
  });
  const call = (method: string, path: string, body?: unknown) => callApi<Record<string, unknown>>(`${api.url}/shops/${SHOP_ID}${path}`, method, body);

  // 2N orders in 出荷情報反映エラー: no ship date, so each chain stops there without a call to au PAY
  const single = Array.from({ length: N }, (_, i) => `S-${i + 1}`);
  const bulk = Array.from({ length: N }, (_, i) => `B-${i + 1}`);
  const all = [...single, ...bulk];
  await runPhase(all.length, 20, async (i) => {
    const res = await call('POST', '/au-pay/shipments', { orderId: all[i], auPayOrderId: '1', managementClass: '通常', shipDate: null, carrier: '6', trackingNumber: 'T-1' });
    if (res.status !== 202) throw new Error(`shipment ${all[i]}: ${res.status} ${res.text}`);
  });
  const inError = async () => Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM au_pay_orders WHERE link_status = $1`, [LINK_STATUS.shipError])).rows[0]!.n);
  await until(async () => (await inError()) === all.length, 600_000, 500);
  console.log(`${all.length} orders in ${LINK_STATUS.shipError}; ${N} reset one call at a time, then ${N} with one bulk action`);

  const t0 = performance.now();
  for (const orderId of single) {
    const res = await call('POST', `/au-pay/orders/${orderId}/link-status`, { status: LINK_STATUS.blank });
    if (res.status !== 200) throw new Error(`reset ${orderId}: ${res.status} ${res.text}`);
  }
  const singleMs = performance.now() - t0;

  const t1 = performance.now();
  const started = await call('POST', '/bulk-actions', { action: 'au-pay.link-status', args: { status: LINK_STATUS.blank }, orderIds: bulk });
  if (started.status !== 202) throw new Error(`bulk: ${started.status} ${started.text}`);
  const done = await until(async () => {
    const b = (await call('GET', `/bulk-actions/${String(started.body.id)}?limit=1`)).body;
    return b.status !== 'running' && b;
  }, 600_000, 100);
  const bulkMs = performance.now() - t1;
  if (done.applied !== N) throw new Error(`bulk: ${JSON.stringify({ ...done, orders: undefined })}`);

  const row = (name: string, ms: number) => console.log(`${name.padEnd(34)} ${(ms / 1000).toFixed(1).padStart(8)} s  ${(ms / N).toFixed(1).padStart(7)} ms/order`);
  row(`${N} single calls, one after another`, singleMs);
  row(`1 bulk action of ${N} orders`, bulkMs);
  console.log(`ratio single/bulk: ${(singleMs / bulkMs).toFixed(2)}x`);
  return 0;
}

runBench(main);
