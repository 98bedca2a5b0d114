/**
 * `npm run bench:open-workflows [-- --workflows N] [-- --caches 100,250:heap1024] [-- --quick]`: N long-lived
 * workflows held open by the real worker process (workers/main.ts), once per configuration: a workflow cache size
 * (WORKER_MAX_CACHED_WORKFLOWS) and optionally a V8 old-space limit for the worker (`:heapMB`, --max-old-space-size),
 * on one dev server (in memory), database (PGlite) and sandbox in this process. The workflows are Yahoo
 * pay-method-change windows (workflows/yahoo-pay-method-window.ts), started as the sweep starts them (its sighting is
 * their first read, so each opens with one database write) and waiting 7 days for their deadline.
 * For each cache size, a fresh worker process:
 *  1. open N windows (50 starts in flight): the worker's RSS (/proc/<pid>/status VmRSS) sampled as they open, at the
 *     moment the cache is full, at N open, and 10 s later; the slope after the cache is full (MiB per 1,000 more);
 *  2. settle all N: the buyer cancels each order at Yahoo, a sweep-like signal wakes its window, which reads the order
 *     and closes (one read, one write; an evicted window replays its history first): the time, and the peak RSS (VmHWM).
 * Default N 10,000 and 100, 250, 500, 250:heap1024 (the last is what npm start and the image run; without `:heap`
 * V8's default limit); --quick: N 1,000 and 100, 250:heap1024. Nothing is asserted on time; the run fails (exit 1)
 * when a window did not open or settle.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { yahooPayMethodWindowWorkflow } from '../workflows/yahoo-pay-method-window';
import { orderSeenSignal } from '../workflows/yahoo-pay-method-window-messages';
import { WINDOW_STATUS } from '../workflows/yahoo-window-status';
import { yahooPayMethodWindowWorkflowId } from '../workflows/workflow-ids';
import { ORDER_ID, PAY_METHOD_CHANGE_DEADLINE, SHOP_ID as SHOP_ID_ATTRIBUTE, YAHOO_WINDOW_STATUS } from '../workflows/search-attributes';
import { ensureWorkflowBundle } from '../workers/workflow-bundle';
import { NOTIFY_EMAIL, SHOP_ID } from '../tests/support/au-pay-fixtures';
import { startTestSandbox } from '../tests/support/sandbox';
import { startWorkerProcess } from '../tests/support/worker-process';
import { YAHOO_APP, YAHOO_REFRESH_TOKEN, YAHOO_SELLER, yahooTestShop } from '../tests/support/yahoo-fixtures';
import { parseIntFlags } from './args';
import { runBench, type Cleanups } from './bench-main';
import { runPhase } from './run-phase';
import { BENCH_BUNDLE_PATH, startWorkerBenchWorld } from './worker-bench-world';

const USAGE = 'usage: npm run bench:open-workflows -- [--workflows N] [--caches A[:heapMB],B,...] [--quick]   (defaults 10000 and 100,250,500,250:heap1024; --quick 1000 and 100,250:heap1024)';
const IN_FLIGHT = 50;
const MiB = (kb: number) => kb / 1024;
const f0 = (x: number) => x.toFixed(0);

/** The worker's resident set now and its peak, in kB. */
function memoryOf(pid: number): { rssKb: number; peakKb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rssKb: kb('VmRSS'), peakKb: kb('VmHWM') };
}

interface Row {
  label: string;
  startRssMb: number;
  fullRssMb: number | null;
  openRssMb: number;
  idleRssMb: number;
  slopeMbPer1000: number | null;
  openS: number;
  settleS: number;
  peakMb: number;
}

async function main(cleanups: Cleanups): Promise<number> {
  let n: number;
  let configs: Array<{ cache: number; heapMb?: number; label: string }>;
  try {
    const argv = process.argv.slice(2);
    const quick = argv.includes('--quick');
    const at = argv.findIndex((a) => a === '--caches' || a.startsWith('--caches='));
    const list = at < 0 ? undefined : argv[at]!.includes('=') ? argv[at]!.split('=')[1] : argv[at + 1];
    configs = (list ? list.split(',') : quick ? ['100', '250:heap1024'] : ['100', '250', '500', '250:heap1024']).map((c) => {
      const [cache, heap] = c.split(':heap').map(Number) as [number, number | undefined];
      if (!Number.isInteger(cache) || cache < 1 || (heap !== undefined && !(heap >= 64))) throw new Error(USAGE);
      return { cache, heapMb: heap, label: heap ? `${cache}, heap ${heap} MiB` : String(cache) };
    });
    const rest = argv.filter((a, i) => a !== '--quick' && (at < 0 || (i !== at && (argv[at]!.includes('=') || i !== at + 1))));
    ({ workflows: n } = parseIntFlags(rest, { workflows: quick ? 1000 : 10_000 }, USAGE));
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  const { env, address, db } = await startWorkerBenchWorld(cleanups);
  const client = env.client as unknown as Client;
  const sandbox = await startTestSandbox();
  cleanups.push(() => sandbox.stop());
  yahooTestShop(sandbox);
  // the emulator's 10 calls/s per API would make the settle phase measure Yahoo's limit, not the worker
  sandbox.yahoo.auth.settings.rateLimitPerSecond = 1_000_000;
  await ensureWorkflowBundle(BENCH_BUNDLE_PATH);
  const count = async (status: string) =>
    Number((await db.pool.query('SELECT count(*) AS n FROM yahoo_pay_method_windows WHERE shop_id = $1 AND window_status = $2', [SHOP_ID, status])).rows[0].n);

  console.log(`open workflows benchmark: ${n} Yahoo windows per worker, configurations (cache[:heap MiB]) ${configs.map((c) => c.label).join('; ')}; ${os.cpus().length} CPUs, ${f0(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  console.log('dev server in memory, PGlite and the sandbox in this process, the worker its own process (prebuilt bundle); machine shared with other runs\n');
  const rows: Row[] = [];
  const problems: string[] = [];
  for (const [k, { cache, heapMb, label }] of configs.entries()) {
    const taskQueue = `bench-open-workflows-${k}`;
    const worker = await startWorkerProcess({
      TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: db.url, SMTP_URL: sandbox.smtpUrl,
      SHOP_ID, SHOP_NOTIFY_EMAIL: NOTIFY_EMAIL, WORKER_MAX_CACHED_WORKFLOWS: String(cache), WORKER_WORKFLOW_BUNDLE: BENCH_BUNDLE_PATH,
      YAHOO_API_BASE_URL: `${sandbox.url}/yahoo/ShoppingWebService/V1`, YAHOO_TOKEN_URL: `${sandbox.url}/yahoo/yconnect/v2`,
      YAHOO_SELLER_ID: YAHOO_SELLER, YAHOO_CLIENT_ID: YAHOO_APP.clientId, YAHOO_CLIENT_SECRET: YAHOO_APP.clientSecret, YAHOO_REFRESH_TOKEN,
      // no sweep of its own during the run: the benchmark plays the sweep
      YAHOO_SWEEP_EVERY: '24 hours',
      // the V8 heap's limit (old space): without it, V8 lets garbage grow toward its default (a share of the machine's memory)
      NODE_OPTIONS: heapMb ? `--max-old-space-size=${heapMb}` : '',
    });
    const pid = worker.process.pid!;
    const startRssKb = memoryOf(pid).rssKb;
    const waitingBefore = await count(WINDOW_STATUS.waiting);
    const canceledBefore = await count(WINDOW_STATUS.canceled);

    // N orders whose authorization failed an hour ago: 7 days to change the payment method
    const now = sandbox.yahoo.kit.clock.now();
    const orders = Array.from({ length: n }, (_, i) => {
      const o = sandbox.yahoo.orders.create({ sellerId: YAHOO_SELLER, OrderTime: new Date(now.getTime() - 2 * 3_600_000 - i * 1000) });
      sandbox.yahoo.orders.failAuthorization(o, new Date(now.getTime() - 3_600_000));
      return o;
    });
    const deadlineOf = (i: number) => orders[i]!.PayMethodChangeDeadline?.toISOString() ?? null;

    // 1. open
    const samples: Array<{ opened: number; rssKb: number }> = [];
    let opened = 0;
    const sampler = setInterval(() => {
      void count(WINDOW_STATUS.waiting).then((w) => {
        opened = w - waitingBefore;
        samples.push({ opened, rssKb: memoryOf(pid).rssKb });
      }, () => undefined);
    }, 1000);
    const t1 = Date.now();
    await runPhase(n, IN_FLIGHT, async (i) => {
      const orderId = orders[i]!.OrderId;
      const deadline = deadlineOf(i);
      await client.workflow.start(yahooPayMethodWindowWorkflow, {
        workflowId: yahooPayMethodWindowWorkflowId(SHOP_ID, orderId), taskQueue,
        args: [{ shopId: SHOP_ID, orderId, deadline, sighting: { settleStatus: '10', changePossible: true, deadline, recipe: 1 } }],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        typedSearchAttributes: [
          { key: SHOP_ID_ATTRIBUTE, value: SHOP_ID }, { key: ORDER_ID, value: orderId }, { key: YAHOO_WINDOW_STATUS, value: WINDOW_STATUS.waiting },
          ...(deadline ? [{ key: PAY_METHOD_CHANGE_DEADLINE, value: new Date(deadline) }] : []),
        ],
      });
    });
    while (opened < n && Date.now() - t1 < 30 * 60_000) await new Promise((r) => setTimeout(r, 500));
    const openS = (Date.now() - t1) / 1000;
    const openRssKb = memoryOf(pid).rssKb;
    await new Promise((r) => setTimeout(r, 10_000));
    clearInterval(sampler);
    const idleRssKb = memoryOf(pid).rssKb;
    if (opened < n) problems.push(`cache ${label}: ${opened} of ${n} windows opened`);
    const full = cache < n ? samples.find((s) => s.opened >= cache) : undefined;
    const slope = full && n > full.opened ? (MiB(openRssKb - full.rssKb) / (n - full.opened)) * 1000 : null;
    const curve = [0.25, 0.5, 0.75, 1].map((q) => samples.find((s) => s.opened >= q * n)).filter((s) => !!s).map((s) => `${s.opened}: ${f0(MiB(s.rssKb))}`);
    console.log(`cache ${label}: ${n} open in ${openS.toFixed(1)} s; RSS (MiB) at start ${f0(MiB(startRssKb))}, as they open ${curve.join(', ')}; ${f0(MiB(idleRssKb))} 10 s after`);

    // 2. settle: the buyer cancels each order; a sighting that is news wakes the window, which reads it and closes
    for (const o of orders) sandbox.yahoo.orders.buyerCancels(o, 'bench');
    const t2 = Date.now();
    await runPhase(n, IN_FLIGHT, (i) =>
      client.workflow.getHandle(yahooPayMethodWindowWorkflowId(SHOP_ID, orders[i]!.OrderId)).signal(orderSeenSignal, { settleStatus: '10', changePossible: false, deadline: deadlineOf(i), recipe: 1 })
        // a window whose own check came after the cancel has read it and closed already
        .catch((err: unknown) => {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        }));
    let settled = 0;
    while (Date.now() - t2 < 30 * 60_000) {
      settled = (await count(WINDOW_STATUS.canceled)) - canceledBefore;
      if (settled >= n) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const settleS = (Date.now() - t2) / 1000;
    if (settled < n) problems.push(`cache ${label}: ${settled} of ${n} windows settled`);
    const peakKb = memoryOf(pid).peakKb;
    await worker.stop();

    const row: Row = {
      label, startRssMb: MiB(startRssKb), fullRssMb: full ? MiB(full.rssKb) : null, openRssMb: MiB(openRssKb), idleRssMb: MiB(idleRssKb),
      slopeMbPer1000: slope, openS, settleS, peakMb: MiB(peakKb),
    };
    rows.push(row);
    console.log(`cache ${label}: ${n} settled in ${settleS.toFixed(1)} s; peak RSS ${f0(row.peakMb)} MiB`);
  }

  const base = rows[0]!;
  console.log(`\n| cache | RSS at start | RSS when the cache is full | RSS with ${n} open | 10 s later | MiB per 1,000 more after full | open ${n} (s) | settle ${n} (s) | settle time vs cache ${base.label} | peak RSS |`);
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.label} | ${f0(r.startRssMb)} | ${r.fullRssMb === null ? '—' : f0(r.fullRssMb)} | ${f0(r.openRssMb)} | ${f0(r.idleRssMb)} | ${r.slopeMbPer1000 === null ? '—' : r.slopeMbPer1000.toFixed(1)} | ${r.openS.toFixed(1)} | ${r.settleS.toFixed(1)} | ${(r.settleS / base.settleS).toFixed(2)} | ${f0(r.peakMb)} |`);
  }
  for (const p of problems) console.error(`FAILED: ${p}`);
  return problems.length ? 1 : 0;
}

runBench(main);
