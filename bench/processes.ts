/**
 * `npm run bench [-- --quick] [--orders N --concurrency C --rounds R] [--only NAME[,NAME]]`: every order process against the
 * engine's ceiling. On one Temporal dev server and one worker, for each process: N orders through the real workflow
 * and its real activities against the sandbox and PostgreSQL, and N runs of its twin (a workflow with as many
 * activities, doing nothing), in alternating rounds at the same concurrency. One table: orders/s, the ratio to the
 * twin (goal ≥ 0.85), p50/p99 latency, Temporal Cloud actions per order, history events and bytes per order; written
 * into bench/RESULTS.md between its markers. Machines are noisy: the ratios are what mean something. Nothing is
 * asserted on time; the run fails (exit 1) when an order did not end as it should at the sandbox or in the database,
 * or when one of the run's process histories does not replay against the bundle it ran on.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { startBenchWorld } from './bench-world';
import { Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { buildWorkflowBundle } from '../workers/workflow-bundle';
import { temporalSdkLogger } from '../common/temporal-logger';
import { temporalCliPath } from '../common/temporal-binaries';
import { externalSystemClients } from '../workers/shop-clients';
import { activityDeps } from '../tests/support/au-pay-fixtures';
import { testAccounts } from '../tests/support/order-out-fixtures';
import { parseIntFlags } from './args';
import { alternatePhases } from './alternate-phases';
import { baselineWorkflow, type BaselineActivities } from './baseline-workflow';
import { runBench, type Cleanups } from './bench-main';
import { spread } from './history-stats';
import { historyOutline, meanCost, type OrderCost } from './order-cost';
import { unreplayable } from './replay-check';
import { ActivityObservers } from './activity-observers';
import { cpuMarkdownTable, cpuTextTable, markdownTable, textTable, type ProcessRow } from './process-table';
import type { BenchContext, ProcessRunner } from './process-runner';
import { writeResultsSection } from './results-section';
import { processRunners, type RunnerDeps } from './runners';

const USAGE = 'usage: npm run bench -- [--quick] [--orders N] [--concurrency C] [--rounds R] [--only NAME[,NAME]] [--show-history]   (defaults 300, 20, 3; --quick: 40, 10, 2)';
const TASK_QUEUE = 'bench-processes';
/** Orders per process (and twin runs) taken through untimed first: JIT, connections, the first cache fills. */
const WARMUP = 5;
/** Orders per process whose histories are fetched for the cost columns. */
const HISTORY_SAMPLE = 20;
const RESULTS_FILE = path.join(__dirname, 'RESULTS.md');

interface Args { orders: number; concurrency: number; rounds: number; quick: boolean; only?: string; showHistory: boolean }

function parse(argv: string[]): Args {
  const quick = argv.includes('--quick');
  const showHistory = argv.includes('--show-history');
  const rest = argv.filter((a) => a !== '--quick' && a !== '--show-history');
  let only: string | undefined;
  const i = rest.findIndex((a) => a === '--only' || a.startsWith('--only='));
  if (i >= 0) {
    only = rest[i]!.includes('=') ? rest[i]!.split('=')[1] : rest[i + 1];
    rest.splice(i, rest[i]!.includes('=') ? 1 : 2);
    if (!only) throw new Error(`--only needs a process name\n${USAGE}`);
  }
  const defaults = quick ? { orders: 40, concurrency: 10, rounds: 2 } : { orders: 300, concurrency: 20, rounds: 3 };
  return { ...parseIntFlags(rest, defaults, USAGE), quick, only, showHistory };
}

async function main(cleanups: Cleanups): Promise<number> {
  let args: Args;
  try {
    args = parse(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  // renkei's own INFO lines (one per delivery, per review...) would bury the table; warnings and errors still show.
  process.env.LOG_LEVEL ??= 'warn';
  // Retried activities are logged at WARN by the SDK; only errors are worth seeing in a benchmark's output.
  Runtime.install({ logger: temporalSdkLogger(process.env.BENCH_SDK_LOG === 'warn' ? 'warn' : 'error') });
  const cli = temporalCliPath();
  const { env, db, sandbox } = await startBenchWorld(cleanups);

  const observers = new ActivityObservers();
  const ctx: BenchContext = { env, db, sandbox, taskQueue: TASK_QUEUE, activities: observers };
  const accounts = testAccounts(db.pool);
  // the production client timeouts (AUPAY_TIMEOUT_MS 10 s): a loaded moment is latency, not a retry
  const deps: RunnerDeps = { ...activityDeps(db.pool, sandbox, 10_000), accounts };
  const runners = await processRunners(ctx, deps);
  const wanted = args.only?.toLowerCase().split(',').map((w) => w.trim()).filter(Boolean);
  const chosen = runners.filter((r) => !wanted || wanted.some((w) => r.name.toLowerCase().includes(w)));
  if (!chosen.length) {
    console.error(`no process matches --only ${args.only}: ${runners.map((r) => r.name).join(', ')}`);
    return 2;
  }

  const code = await buildWorkflowBundle(require.resolve('./process-workflows'));
  const noop: BaselineActivities['noop'] = async () => undefined;
  // As workers/create-worker.ts assembles the production worker (its activities, its interceptors), plus the twin's no-op.
  const worker = await Worker.create({
    connection: env.nativeConnection, namespace: 'default', taskQueue: TASK_QUEUE, workflowBundle: { code },
    activities: { ...observers.wrap(createActivities({ ...deps, externalSystem: deps.externalSystem ?? externalSystemClients(accounts) })), noop },
  });
  const running = worker.run();
  cleanups.push(async () => {
    worker.shutdown();
    await running;
  });

  const cliVersion = firstLine(() => execFileSync(cli, ['--version'], { encoding: 'utf8' }));
  const onServer = Boolean(process.env.DATABASE_URL); // as bench-database.ts decides
  const database = onServer
    ? `PostgreSQL ${(await db.pool.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '?'} (DATABASE_URL, a server on this machine)`
    : 'PGlite in its own process (as npm start runs it)';
  const cpu = os.cpus();
  const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.arch()}`;
  const command = `npm run bench${args.quick ? ' -- --quick' : ''}`;
  console.log(`every process against its twin: ${args.orders} orders each in ${args.rounds} alternating rounds, ${args.concurrency} in flight, ${WARMUP} warm-up of each`);
  console.log(`machine: ${machine}; Node ${process.version}; ${cliVersion} (dev server, in-memory); one worker (SDK defaults) and the sandbox in this process; ${database}\n`);

  const twinRun = (r: ProcessRunner, tag: string) => async (i: number) => {
    const handle = await env.client.workflow.start(baselineWorkflow, { workflowId: `bench-twin:${slug(r.name)}:${tag}:${i}`, taskQueue: TASK_QUEUE, args: [r.twinSteps] });
    return { handles: [handle], result: await handle.result() };
  };
  const rows: ProcessRow[] = [];
  const problems: string[] = [];
  /** the processes run at their own sizes, said under the table */
  const notes: string[] = [];
  for (const r of chosen) {
    const started = performance.now();
    const sizes = r.sizes?.(args) ?? { orders: args.orders, rounds: args.rounds, concurrency: args.concurrency, warmup: WARMUP };
    const warm = await r.prepare('W', sizes.warmup);
    const warmRuns = [];
    for (const input of warm) warmRuns.push(await r.run(input));
    for (let i = 0; i < sizes.warmup; i += 1) await twinRun(r, 'W')(i);
    const warmProblems = await r.verify(warm, warmRuns);
    if (warmProblems.length) {
      problems.push(...warmProblems.map((p) => `${r.name} (warm-up): ${p}`));
      continue;
    }
    const paired = await alternatePhases({
      n: sizes.orders, rounds: sizes.rounds, concurrency: sizes.concurrency, prepare: (tag, n) => r.prepare(tag, n), run: (input) => r.run(input),
      twin: (round, i) => twinRun(r, `R${round}`)(i),
    });
    const own = await r.verify(paired.inputs, paired.process.results);
    const replays = await unreplayable(code, paired.process.results.flatMap((x) => x.handles));
    if (replays.length) own.push(`${replays.length} histories do not replay against the bundle they ran on, e.g. ${replays[0]}`);
    problems.push(...own.map((p) => `${r.name}: ${p}`));
    if (paired.twin.results.some((t) => t.result !== r.twinSteps)) problems.push(`${r.name}: a twin returned something other than ${r.twinSteps}`);
    const cost = await meanCost(spread(paired.process.results, HISTORY_SAMPLE).map((x) => x.handles));
    const twinCost = await meanCost(spread(paired.twin.results, HISTORY_SAMPLE).map((x) => x.handles));
    if (args.showHistory) console.log(await historyOutline(paired.process.results[0]!.handles));
    if (r.sizes) notes.push(`${r.name}: ${sizes.orders} orders, ${sizes.rounds} round(s), ${sizes.concurrency} in flight, ${sizes.warmup} warm-up`);
    rows.push({ name: r.name, twinSteps: r.twinSteps, process: paired.process, twin: paired.twin, cost, twinCost, why: whyWithUnits(r, cost, twinCost), cpu: paired.cpu });
    console.log(`${r.name}: ${own.length ? 'VERIFICATION FAILED' : 'verified'} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }

  console.log(`\n${textTable(rows)}`);
  for (const n of notes) console.log(`at its own sizes: ${n}`);
  console.log(`\nCPU per order, while each side ran (ms; bench process = the worker, the sandbox and the bench's polling):\n${cpuTextTable(rows)}`);
  console.log('\n* below 0.85 of the twin. actions: as Temporal Cloud bills them (bench/order-cost.ts); events and bytes: all the order\'s histories');
  if (problems.length) {
    console.error(`\nVERIFICATION FAILED: RESULTS.md left as it was\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    return 1;
  }
  if (!args.only) {
    // one section per database: the embedded default and a PostgreSQL server (DATABASE_URL) are both worth keeping
    const section = onServer ? 'processes-postgresql' : 'processes';
    writeResultsSection(RESULTS_FILE, section, resultsSection(rows, { machine, cliVersion, command, args, notes, database, onServer }));
    console.log(`\nwritten: ${path.relative(process.cwd(), RESULTS_FILE)} (section bench:${section})`);
  }
  return 0;
}

function resultsSection(rows: ProcessRow[], o: { machine: string; cliVersion: string; command: string; args: Args; notes: string[]; database: string; onServer: boolean }): string {
  return [
    `## Every process against its twin (\`npm run bench\`${o.onServer ? ', on a PostgreSQL server' : ''})`,
    '',
    `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · \`${o.command}\` · ${o.args.orders} orders per process and as many twin runs, `
      + `${o.args.rounds} alternating rounds, ${o.args.concurrency} in flight · ${o.machine} · Node ${process.version} · ${o.cliVersion} `
      + `(dev server, in-memory) · one worker with the SDK defaults and the sandbox in the bench process, ${o.database} · load average at the end `
      + `${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (the run's own load included): machines are noisy, read the ratios.`,
    '',
    'The twin of a process is a workflow with as many activities that do nothing (bench/baseline-workflow.ts), run in the same rounds. '
      + 'ratio = orders/s ÷ twin/s (goal ≥ 0.85; * marks a row below). Actions per order as Temporal Cloud bills them (bench/order-cost.ts): '
      + 'starts (client start, continue-as-new), activities (incl. retries; local activities 1 per workflow task), timers (incl. a condition with a timeout), '
      + 'signals, updates, search-attribute upserts, child workflows (2 each); events and bytes over all the order\'s histories.',
    '',
    markdownTable(rows),
    '',
    ...(o.notes.length ? [`At their own sizes: ${o.notes.join('; ')}.`, ''] : []),
    'CPU per order while each side\'s rounds ran (bench/cpu-meter.ts, from /proc; ms): the bench process holds the worker, the sandbox and the '
      + 'bench\'s own polling; the dev server and the database are their own processes. Where the rounds saturate the machine, the rate is bounded by '
      + 'the CPU each order costs, so "twin ÷ process CPU" is about what the ratio can reach on this machine.',
    '',
    cpuMarkdownTable(rows),
    '',
    'Why each action beyond the twin\'s is there:',
    '',
    ...rows.map((r) => `- **${r.name}** (twin: start + ${r.twinSteps} activities): ${r.why}`),
  ].join('\n');
}

/** The runner's why, with its cost per unit first when one order is many units (the table's figures are per order). */
function whyWithUnits(r: ProcessRunner, cost: OrderCost, twin: OrderCost): string {
  if (!r.perUnit) return r.why;
  const { name, count } = r.perUnit;
  const per = (x: number) => (x / count).toFixed(2);
  return `per ${name}: ${per(cost.total)} actions (twin ${per(twin.total)}), ${per(cost.events)} history events (twin ${per(twin.events)}), `
    + `${(cost.bytes / count).toFixed(0)} bytes; ${r.why}`;
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');

function firstLine(f: () => string): string {
  try {
    return f().trim().split('\n')[0]!;
  } catch {
    return 'temporal CLI ?'; // only informational
  }
}

runBench(main);
