/**
 * `npm run bench [-- --orders N --concurrency C]`: the au PAY ship-then-complete chain against a no-op baseline with
 * as many activities, on one Temporal dev server and one worker, in the same run. Machines are noisy, so the figures
 * that mean something are the ratios to the baseline measured here, and the actions per order (machine-independent).
 * Nothing is asserted on time; the run fails only when the chain did not do exactly what it should.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, Worker } from '@temporalio/worker';
import { temporalSdkLogger } from '../common/temporal-logger';
import { createActivities } from '../activities';
import { registerSearchAttributes } from '../workers/register-search-attributes';
import { temporalCliPath } from '../common/temporal-binaries';
import { LINK_STATUS } from '../workflows/au-pay-link-status';
import { activityDeps } from '../tests/support/au-pay-fixtures';
import { startTestDatabase } from '../tests/support/database';
import { startTestSandbox } from '../tests/support/sandbox';
import { parseArgs, type BenchArgs } from './args';
import { baselineWorkflow, type BaselineActivities } from './baseline-workflow';
import { historyStats, spread } from './history-stats';
import { runPhase } from './run-phase';
import { chainRunner, verifyChain } from './runners/au-pay-chain';
import { printComparison } from './comparison-table';

const TASK_QUEUE = 'bench';
/** The chain's happy path runs two activities: pushShippingInfo, pushCompletion. */
const BASELINE_STEPS = 2;
/** Untimed runs of each kind first, so neither phase pays for JIT, connection setup or the first cache fills. */
const WARMUP = 20;
/** Workflows per phase whose histories are fetched for the action counts. */
const HISTORY_SAMPLE = 50;
/** The production default (AUPAY_TIMEOUT_MS): the tests' 2s would turn a loaded moment into retries, not latency. */
const AU_PAY_TIMEOUT_MS = 10_000;

const MiB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

async function main(): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  // The SDK logs every worker state change at INFO; only trouble is worth seeing in a benchmark's output.
  Runtime.install({ logger: temporalSdkLogger('warn') }); // the SDK's lines as renkei's, warn and above

  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const cli = temporalCliPath();
    const env = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'existing-path', path: cli }, ui: false, extraArgs: ['--ui-disable-news-fetch'] },
    });
    cleanups.push(() => env.teardown());
    await registerSearchAttributes(env.connection, 'default'); // the chain upserts AuPayLinkStatus
    const db = await startTestDatabase();
    cleanups.push(() => db.stop());
    const sandbox = await startTestSandbox();
    cleanups.push(() => sandbox.stop());

    const noop: BaselineActivities['noop'] = async () => undefined;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUE,
      workflowsPath: require.resolve('./workflows'),
      activities: { ...createActivities(activityDeps(db.pool, sandbox, AU_PAY_TIMEOUT_MS)), noop },
    });
    const running = worker.run();
    cleanups.push(async () => {
      worker.shutdown();
      await running;
    });

    printHeader(args, cli, worker);
    const chain = chainRunner(env, db, sandbox, TASK_QUEUE);
    const baseline = (i: number) => runBaseline(env, `bench-baseline:${i}`);

    // Warm-up: same code paths, untimed; its ledger entries are cleared so the check below counts the measured orders only.
    const warm = await runPhase(WARMUP, args.concurrency, chain.run(await chain.prepare('W', WARMUP)));
    await runPhase(WARMUP, args.concurrency, (i) => runBaseline(env, `bench-warmup:${i}`));
    const warmProblems = warm.results.filter((r) => r.result.status !== LINK_STATUS.completed);
    if (warmProblems.length) return fail([`${warmProblems.length} warm-up orders did not complete`]);
    sandbox.auPay.kit.ledger.reset();

    const rssBefore = process.memoryUsage().rss;
    const reports = await chain.prepare('A', args.orders);
    console.log(`phase A: ${args.orders} au PAY chains, ${args.concurrency} in flight ...`);
    const a = await runPhase(args.orders, args.concurrency, chain.run(reports));
    const rssAfterA = process.memoryUsage().rss;
    const problems = await verifyChain(a.results.map((r) => r.result), reports, db, sandbox);
    if (problems.length) return fail(problems);
    console.log(`phase A verified: ${args.orders}/${args.orders} ${LINK_STATUS.completed}; ledger ${args.orders} applied updateTradeInfoProc + ${args.orders} applied updateTradeStsProc, nothing else`);

    console.log(`phase B: ${args.orders} baseline workflows (${BASELINE_STEPS} no-op activities), ${args.concurrency} in flight ...`);
    const b = await runPhase(args.orders, args.concurrency, baseline);
    const rssAfterB = process.memoryUsage().rss;
    const wrong = b.results.filter((r) => r.result !== BASELINE_STEPS).length;
    if (wrong) return fail([`${wrong} baseline workflows returned something other than ${BASELINE_STEPS}`]);

    const [historyA, historyB] = [
      await historyStats(spread(a.results, HISTORY_SAMPLE).map((r) => r.handle)),
      await historyStats(spread(b.results, HISTORY_SAMPLE).map((r) => r.handle)),
    ];
    printComparison({ unit: 'orders', columns: ['au PAY chain', `baseline(${BASELINE_STEPS})`, 'chain/baseline'] }, a, b, historyA, historyB);
    console.log(`\nbench process RSS (worker + client + sandbox + in-process PGlite): before ${MiB(rssBefore)}, after chain ${MiB(rssAfterA)}, after baseline ${MiB(rssAfterB)}`);
    return 0;
  } finally {
    // In reverse: the worker stops before the server it polls; the database and sandbox go last.
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((err: Error) => console.error(`cleanup: ${err.message}`));
    }
  }
}

async function runBaseline(env: TestWorkflowEnvironment, workflowId: string) {
  const handle = await env.client.workflow.start(baselineWorkflow, { workflowId, taskQueue: TASK_QUEUE, args: [BASELINE_STEPS] });
  return { handle, result: await handle.result() };
}

function fail(problems: string[]): number {
  console.error(`\nVERIFICATION FAILED: no figures reported\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return 1;
}

function printHeader(args: BenchArgs, cli: string, worker: Worker) {
  let cliVersion = '?';
  try {
    cliVersion = execFileSync(cli, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // only informational
  }
  const slots = (s: Worker['options']['tuner']['workflowTaskSlotSupplier']) => (s.type === 'fixed-size' ? String(s.numSlots) : s.type);
  const { tuner, maxCachedWorkflows } = worker.options;
  console.log(`au PAY chain benchmark: ${args.orders} orders per phase, ${args.concurrency} workflows in flight, ${WARMUP} warm-up runs of each kind`);
  console.log(`machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? '?'}), ${MiB(os.totalmem())} RAM, Node ${process.version}, ${os.platform()} ${os.arch()}`);
  console.log(`temporal: ${cliVersion} (dev server, in-memory), one worker in this process, task queue '${TASK_QUEUE}'`);
  console.log(
    `worker options (SDK defaults, unchanged): maxConcurrentWorkflowTaskExecutions=${slots(tuner.workflowTaskSlotSupplier)} `
      + `maxConcurrentActivityTaskExecutions=${slots(tuner.activityTaskSlotSupplier)} maxCachedWorkflows=${maxCachedWorkflows}`,
  );
  console.log('baseline measured in the same run\n');
}

void main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
