/**
 * `npm run bench:yahoo [-- --orders N --page P --rps R]`: the Yahoo payment-method-change sweep over N オーソリエラー
 * orders (default 10,000) on the Temporal dev server, one worker, PGlite and the Yahoo sandbox, in this process.
 * 1. Paging only: both recipes of orderList through our client, paced at R calls/s, against the sandbox's rate limit
 *    (10 calls/s per API, 403 beyond): measured time vs the theoretical minimum (pages - 1) / limit.
 * 2. The first sweep (the scheduled workflow): list + one window workflow start per order; starts per second.
 * 3. The windows open (the sweep's sighting is their first read; each stores its row): time until all N rows.
 * 4. A repeated sweep: every order is known, so it only lists: its time vs the paging-only time of (1).
 * Nothing is asserted on time; the run fails (exit 1) only when the system did not do what it should.
 */
import os from 'node:os';
import { startBenchWorld } from './bench-world';
import { Runtime } from '@temporalio/worker';
import { buildWorkflowBundle } from '../workers/workflow-bundle';
import { temporalSdkLogger } from '../common/temporal-logger';
import { formatCompactDateTime } from '../yahoo/dates';
import { YahooApiError } from '../yahoo/errors';
import { CHANGE_DONE_SETTLE_STATUSES } from '../yahoo/pay-method-change';
import { createRenkeiWorker } from '../workers/create-worker';
import { yahooWindowSweepWorkflow } from '../workflows/yahoo-window-sweep';
import { activityDeps, SHOP_ID } from '../tests/support/au-pay-fixtures';
import { YAHOO_SELLER, yahooDeps, yahooTestShop } from '../tests/support/yahoo-fixtures';
import { parseIntFlags } from './args';
import { runBench, type Cleanups } from './bench-main';

const USAGE = 'usage: npm run bench:yahoo -- [--orders N] [--page P] [--rps R]   (positive integers; defaults 10000, 2000, 10)';
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(cleanups: Cleanups): Promise<number> {
  let args: { orders: number; page: number; rps: number };
  try {
    args = parseIntFlags(process.argv.slice(2), { orders: 10_000, page: 2000, rps: 10 }, USAGE);
    if (args.page > 2000) throw new Error(`--page is at most 2000 (Yahoo's maximum)\n${USAGE}`);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  // the SDK logs each retried activity (a 403 from the rate limit) at WARN: only errors are worth seeing here
  Runtime.install({ logger: temporalSdkLogger('error') }); // the SDK's lines as renkei's, error and above
  const problems: string[] = [];
  const { env, db, sandbox } = await startBenchWorld(cleanups);
  const shop = yahooTestShop(sandbox);
  Object.assign(shop.sweep, { pageSize: args.page, requestsPerSecond: args.rps, parallel: 50 });
  const limit = sandbox.yahoo.auth.settings.rateLimitPerSecond;

  const code = await buildWorkflowBundle();
  const taskQueue = 'yahoo-sweep-bench';
  const worker = await createRenkeiWorker({
    connection: env.nativeConnection, namespace: 'default', taskQueue, workflowBundle: { code },
    deps: { ...activityDeps(db.pool, sandbox), ...yahooDeps(shop.shop) },
  });
  const running = worker.run();
  cleanups.push(async () => {
    worker.shutdown();
    await running;
  });

  console.log(`Yahoo sweep benchmark: ${args.orders} オーソリエラー orders, orderList pages of ${args.page}, paced at ${args.rps} calls/s; sandbox limit ${limit} calls/s per API (403 beyond)`);
  console.log(`machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? '?'}), Node ${process.version}; dev server, one worker, PGlite, sandbox in this process\n`);

  // N orders whose authorization failed within the last day, straight into the emulator's store
  const now = sandbox.yahoo.kit.clock.now();
  for (let i = 0; i < args.orders; i++) {
    const o = sandbox.yahoo.orders.create({ sellerId: YAHOO_SELLER, OrderTime: new Date(now.getTime() - 2 * 3_600_000 - i * 1000) });
    sandbox.yahoo.orders.failAuthorization(o, new Date(now.getTime() - 3_600_000));
  }

  // 1. paging only
  const range = {
    PayMethodChangeDeadlineFrom: formatCompactDateTime(new Date(now.getTime() - 86_400_000)),
    PayMethodChangeDeadlineTo: formatCompactDateTime(new Date(now.getTime() + 9 * 86_400_000)), ReadOnlyMode: '2',
  };
  const fields = ['OrderId', 'OrderTime', 'OrderStatus', 'SettleStatus', 'PayMethod', 'PayMethodChangeDeadline', 'IsPayMethodChangePossible'];
  const gap = Math.ceil(1000 / args.rps);
  let pages = 0;
  let refused = 0;
  let listed = 0;
  let last = 0;
  const t1 = Date.now();
  for (const condition of [{ SettleStatus: '10', IsPayMethodChangePossible: 'true', ...range }, { SettleStatus: CHANGE_DONE_SETTLE_STATUSES.join(','), ...range }]) {
    for (let start = 1; ; ) {
      const wait = last + gap - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      last = Date.now();
      try {
        const page = await shop.shop.client.orderList({ condition, fields, result: args.page, start });
        pages += 1;
        listed += page.orders.length;
        start += args.page;
        if (page.orders.length < args.page || start > page.totalCount) break;
      } catch (err) {
        if (!(err instanceof YahooApiError && err.httpStatus === 403)) throw err;
        refused += 1;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }
  const pagingMs = Date.now() - t1;
  const minMs = (Math.max(pages - 1, 0) * 1000) / Math.min(limit, args.rps);
  if (listed !== args.orders) problems.push(`paging listed ${listed} orders, expected ${args.orders}`);
  console.log(`1. paging only:   ${pages} orderList calls (${listed} orders), ${s(pagingMs)}; theoretical minimum ${s(minMs)} at ${Math.min(limit, args.rps)} calls/s → ratio ${(pagingMs / Math.max(minMs, 1)).toFixed(2)}; ${refused} answered 403`);

  // 2. the first sweep
  const t2 = Date.now();
  const first = await env.client.workflow.execute(yahooWindowSweepWorkflow, { workflowId: 'bench-sweep-1', taskQueue, args: [SHOP_ID] });
  const firstMs = Date.now() - t2;
  if (first.started !== args.orders) problems.push(`the first sweep started ${first.started} windows, expected ${args.orders}`);
  console.log(`2. first sweep:   ${first.pages} pages, ${first.started} window workflows started in ${s(firstMs)} → ${(first.started / (firstMs / 1000)).toFixed(0)} starts/s; paging share ≈ ${((pagingMs / firstMs) * 100).toFixed(0)} %; ${first.rateLimited} pages answered 403`);

  // 3. the windows open: orderInfo each (under the same limit), then their row
  const t3 = Date.now();
  let rows: number;
  for (;;) {
    rows = Number((await db.pool.query(`SELECT count(*) AS n FROM yahoo_pay_method_windows WHERE shop_id = $1`, [SHOP_ID])).rows[0].n);
    if (rows >= args.orders || Date.now() - t3 > 30 * 60_000) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const openMs = Date.now() - t2;
  if (rows !== args.orders) problems.push(`${rows} windows opened, expected ${args.orders}`);
  console.log(`3. windows open:  ${rows} rows ${s(openMs)} after the sweep began → ${(rows / (openMs / 1000)).toFixed(0)} windows/s (no orderInfo at start: the sweep's sighting is the first read)`);

  // 4. a repeated sweep: every order known
  const t4 = Date.now();
  const again = await env.client.workflow.execute(yahooWindowSweepWorkflow, { workflowId: 'bench-sweep-2', taskQueue, args: [SHOP_ID] });
  const againMs = Date.now() - t4;
  if (again.started !== 0 || again.signalled !== 0) problems.push(`the repeated sweep started ${again.started} and signalled ${again.signalled}, expected none`);
  console.log(`4. repeat sweep:  ${again.pages} pages, ${again.skipped} known orders left alone, 0 Temporal calls, ${s(againMs)} → ratio to paging only ${(againMs / pagingMs).toFixed(2)}`);
  if (problems.length) {
    console.error(`\nVERIFICATION FAILED:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    return 1;
  }
  return 0;
}

runBench(main);
