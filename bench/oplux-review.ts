/**
 * `npm run bench:oplux [-- --orders N --concurrency C]`: O-PLUX fraud reviews (auto OK: openReview, registerEvent with
 * the name normalizer, recordReview with the order data OUT) against a no-op baseline with as many activities (3), on
 * one Temporal dev server and one worker, in the same run. Machines are noisy: the figures that mean something are
 * the ratios to the baseline measured here and the actions per review. Nothing is asserted on time; the run fails only
 * when the reviews did not do exactly what they should (one registration per order, one OUT row per order).
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, Worker } from '@temporalio/worker';
import { temporalSdkLogger } from '../common/temporal-logger';
import { createActivities } from '../activities';
import { registerSearchAttributes } from '../workers/register-search-attributes';
import { temporalCliPath } from '../common/temporal-binaries';
import type { FraudReviewOrder } from '../workflows/oplux-fraud-review-messages';
import { FRAUD_STATUS } from '../workflows/oplux-review-rules';
import { activityDeps } from '../tests/support/au-pay-fixtures';
import { startTestDatabase } from '../tests/support/database';
import { startTestSandbox } from '../tests/support/sandbox';
import { opluxTestShops, registerOpluxMerchant } from '../tests/support/oplux-fixtures';
import { parseIntFlags } from './args';
import { baselineWorkflow, type BaselineActivities } from './baseline-workflow';
import { historyStats, spread } from './history-stats';
import { runPhase } from './run-phase';
import { reviewOrders, runReview, verifyReviews } from './runners/oplux-review';
import { printComparison } from './comparison-table';

const TASK_QUEUE = 'bench-oplux';
/** The review's auto-OK path runs three activities: openReview, registerEvent, recordReview. */
const BASELINE_STEPS = 3;
const WARMUP = 20;
const HISTORY_SAMPLE = 50;
const USAGE = 'usage: npm run bench:oplux -- [--orders N] [--concurrency C]   (positive integers; defaults 500 and 50)';
const MiB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

async function main(): Promise<number> {
  let args: { orders: number; concurrency: number };
  try {
    args = parseIntFlags(process.argv.slice(2), { orders: 500, concurrency: 50 }, USAGE);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  Runtime.install({ logger: temporalSdkLogger('warn') }); // the SDK's lines as renkei's, warn and above
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const cli = temporalCliPath();
    const env = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'existing-path', path: cli }, ui: false, extraArgs: ['--ui-disable-news-fetch'] },
    });
    cleanups.push(() => env.teardown());
    await registerSearchAttributes(env.connection, 'default'); // the review upserts FraudReviewStatus
    const db = await startTestDatabase();
    cleanups.push(() => db.stop());
    const sandbox = await startTestSandbox();
    cleanups.push(() => sandbox.stop());
    await registerOpluxMerchant(sandbox);

    const noop: BaselineActivities['noop'] = async () => undefined;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUE,
      workflowsPath: require.resolve('./oplux-workflows'),
      // The production client timeout (OPLUX_TIMEOUT_MS): a loaded moment is latency, not a retry.
      activities: { ...createActivities({ ...activityDeps(db.pool, sandbox), opluxShop: opluxTestShops(sandbox) }), noop },
    });
    const running = worker.run();
    cleanups.push(async () => {
      worker.shutdown();
      await running;
    });
    printHeader(args, cli, worker);

    const review = (orders: FraudReviewOrder[]) => (i: number) => runReview(env, TASK_QUEUE, orders[i]!);
    const baseline = (tag: string) => async (i: number) => {
      const handle = await env.client.workflow.start(baselineWorkflow, { workflowId: `bench-oplux-${tag}:${i}`, taskQueue: TASK_QUEUE, args: [BASELINE_STEPS] });
      return { handle, result: await handle.result() };
    };
    const orders = reviewOrders;

    const warm = await runPhase(WARMUP, args.concurrency, review(orders('W', WARMUP)));
    await runPhase(WARMUP, args.concurrency, baseline('warmup'));
    if (warm.results.some((r) => r.result.status !== FRAUD_STATUS.ok)) return fail(['warm-up reviews did not end OK']);
    sandbox.oplux.kit.ledger.reset();

    const rssBefore = process.memoryUsage().rss;
    const measured = orders('A', args.orders);
    console.log(`phase A: ${args.orders} fraud reviews (auto OK), ${args.concurrency} in flight ...`);
    const a = await runPhase(args.orders, args.concurrency, review(measured));
    const rssAfterA = process.memoryUsage().rss;
    const problems = await verifyReviews(a.results.map((r) => r.result), measured, db.pool, sandbox.oplux.kit.ledger.list());
    if (problems.length) return fail(problems);
    console.log(`phase A verified: ${args.orders}/${args.orders} OK; ledger ${args.orders} registrations on ${args.orders} orders; ${args.orders} order data OUT rows`);

    console.log(`phase B: ${args.orders} baseline workflows (${BASELINE_STEPS} no-op activities), ${args.concurrency} in flight ...`);
    const b = await runPhase(args.orders, args.concurrency, baseline('B'));
    const rssAfterB = process.memoryUsage().rss;
    if (b.results.some((r) => r.result !== BASELINE_STEPS)) return fail(['baseline workflows returned something else']);

    const [ha, hb] = [
      await historyStats(spread(a.results, HISTORY_SAMPLE).map((r) => r.handle)),
      await historyStats(spread(b.results, HISTORY_SAMPLE).map((r) => r.handle)),
    ];
    printComparison({ unit: 'reviews', columns: ['fraud review', `baseline(${BASELINE_STEPS})`, 'review/base'] }, a, b, ha, hb);
    console.log(`\nbench process RSS (worker + client + sandbox + in-process PGlite): before ${MiB(rssBefore)}, after reviews ${MiB(rssAfterA)}, after baseline ${MiB(rssAfterB)}`);
    return 0;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err: Error) => console.error(`cleanup: ${err.message}`));
  }
}

function fail(problems: string[]): number {
  console.error(`\nVERIFICATION FAILED: no figures reported\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return 1;
}

function printHeader(args: { orders: number; concurrency: number }, cli: string, worker: Worker) {
  let cliVersion = '?';
  try {
    cliVersion = execFileSync(cli, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // only informational
  }
  const slots = (s: Worker['options']['tuner']['workflowTaskSlotSupplier']) => (s.type === 'fixed-size' ? String(s.numSlots) : s.type);
  console.log(`O-PLUX fraud review benchmark: ${args.orders} orders per phase, ${args.concurrency} workflows in flight, ${WARMUP} warm-up runs of each kind`);
  console.log(`machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? '?'}), ${MiB(os.totalmem())} RAM, Node ${process.version}`);
  console.log(`temporal: ${cliVersion} (dev server, in-memory), one worker in this process (SDK defaults: workflow tasks ${slots(worker.options.tuner.workflowTaskSlotSupplier)}, activities ${slots(worker.options.tuner.activityTaskSlotSupplier)})`);
  console.log('baseline measured in the same run\n');
}

void main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
