/**
 * `npm run bench:dev-server [-- --quick] [-- --workflows N --concurrency C --rounds R]`: the dev server `npm start`
 * runs, with its SQLite settings side by side in one run: the CLI's defaults on a file, the chosen WAL +
 * synchronous=NORMAL (scripts/dev-server-args.ts), other candidates, and the in-memory server as the ceiling. Each
 * setting gets a fresh server and database and the same load: the baseline workflow (3 no-op activities), one worker
 * in this process. Rounds alternate the order to even out the noise of a shared machine; the ratio to in-memory is
 * the figure that means something.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { temporalSdkLogger } from '../common/temporal-logger';
import { temporalCliPath } from '../common/temporal-binaries';
import { startChild, stopChild } from '../scripts/child-processes';
import { DEV_SERVER_SQLITE_PRAGMAS, devServerArgs } from '../scripts/dev-server-args';
import { freePort } from '../tests/support/free-port';
import { until } from '../tests/support/until';
import { parseIntFlags } from './args';
import { runBench, type Cleanups } from './bench-main';
import { baselineWorkflow, type BaselineActivities } from './baseline-workflow';
import { percentile, runPhase } from './run-phase';

const USAGE = 'usage: npm run bench:dev-server -- [--quick] [--workflows N] [--concurrency C] [--rounds R]   (defaults 300, 50, 2; --quick 100, 50, 1)';
const STEPS = 3;
const WARMUP = 20;
const TASK_QUEUE = 'bench-dev-server';

interface Setting {
  name: string;
  file: boolean;
  pragmas?: readonly string[];
  dynamicConfig?: readonly string[];
  /** crash of the server (kill -9) loses nothing acknowledged; false for the in-memory server */
  survivesServerCrash: boolean;
  note: string;
}

const WAL_NORMAL = DEV_SERVER_SQLITE_PRAGMAS;
const SETTINGS: Setting[] = [
  { name: 'in-memory', file: false, survivesServerCrash: false, note: 'the ceiling: loses everything when the server stops' },
  { name: 'file, CLI defaults', file: true, pragmas: [], survivesServerCrash: true, note: 'rollback journal, synchronous=FULL: an fsync per commit' },
  { name: 'file, WAL + NORMAL (npm start)', file: true, survivesServerCrash: true, note: 'power loss: the last commits before a checkpoint' },
  { name: 'file, WAL + OFF', file: true, pragmas: ['journal_mode=WAL', 'synchronous=OFF'], survivesServerCrash: true, note: 'power loss: can corrupt the file' },
  {
    name: 'file, WAL + NORMAL + cache', file: true, survivesServerCrash: true, note: 'same durability as WAL + NORMAL',
    pragmas: [...WAL_NORMAL, 'cache_size=-65536', 'mmap_size=268435456', 'temp_store=MEMORY', 'wal_autocheckpoint=10000'],
  },
  {
    name: 'file, WAL + NORMAL, 1 partition', file: true, survivesServerCrash: true, note: 'same durability; task queues in 1 partition, not 4',
    dynamicConfig: ['matching.numTaskqueueReadPartitions=1', 'matching.numTaskqueueWritePartitions=1'],
  },
];

// the bundler's INFO lines are noise here
const quietBundler = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: console.warn, error: console.error, log: () => undefined };

interface Run { setting: Setting; workflows: number; wallMs: number; p50: number; p99: number }

runBench(async (cleanups) => {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  let args: { workflows: number; concurrency: number; rounds: number };
  try {
    args = parseIntFlags(argv.filter((a) => a !== '--quick'), { workflows: quick ? 100 : 300, concurrency: 50, rounds: quick ? 1 : 2 }, USAGE);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  Runtime.install({ logger: temporalSdkLogger('warn') });
  const cli = temporalCliPath();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-dev-server-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./baseline-workflow'), logger: quietBundler });

  console.log(`dev server settings: ${args.workflows} baseline workflows (${STEPS} no-op activities) per run, ${args.concurrency} in flight, ${args.rounds} round(s), ${WARMUP} warm-up workflows per run`);
  console.log(`machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, shared with other jobs; ${execFileSync(cli, ['--version'], { encoding: 'utf8' }).trim()}`);
  console.log('each run: a fresh dev server (and a fresh database file), one worker in this process with SDK defaults\n');

  const runs: Run[] = [];
  for (let round = 0; round < args.rounds; round += 1) {
    const order = round % 2 === 0 ? SETTINGS : [...SETTINGS].reverse();
    for (const setting of order) {
      const run = await runOne(cli, setting, path.join(dir, `r${round}-${SETTINGS.indexOf(setting)}.db`), workflowBundle, args, cleanups);
      runs.push(run);
      console.log(`  round ${round + 1}  ${setting.name.padEnd(34)} ${(run.workflows / (run.wallMs / 1000)).toFixed(1).padStart(6)} workflows/s`);
    }
  }
  printTable(runs);
  return 0;
});

async function runOne(
  cli: string, setting: Setting, dbFile: string, workflowBundle: { code: string }, args: { workflows: number; concurrency: number }, cleanups: Cleanups,
): Promise<Run> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const server = startChild('temporal', cli, devServerArgs({
    port, dbFile: setting.file ? dbFile : undefined, sqlitePragmas: setting.pragmas, dynamicConfig: setting.dynamicConfig,
  }), process.env);
  const stopServer = () => stopChild(server);
  cleanups.push(stopServer);
  try {
    const connection = await until(() => Connection.connect({ address, connectTimeout: 1000 }).catch(() => undefined), 60_000, 250);
    const client = new Client({ connection });
    const nativeConnection = await NativeConnection.connect({ address });
    const noop: BaselineActivities['noop'] = async () => undefined;
    const worker = await Worker.create({ connection: nativeConnection, taskQueue: TASK_QUEUE, workflowBundle, activities: { noop } });
    const running = worker.run();
    try {
      const one = (tag: string) => async (i: number) => {
        const result = await client.workflow.execute(baselineWorkflow, { workflowId: `${tag}-${i}`, taskQueue: TASK_QUEUE, args: [STEPS] });
        if (result !== STEPS) throw new Error(`baseline workflow returned ${result}`);
      };
      await runPhase(WARMUP, args.concurrency, one('warmup'));
      const phase = await runPhase(args.workflows, args.concurrency, one('measured'));
      return { setting, workflows: args.workflows, wallMs: phase.wallMs, p50: percentile(phase.latencies, 50), p99: percentile(phase.latencies, 99) };
    } finally {
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
    }
  } finally {
    await stopServer();
    cleanups.splice(cleanups.indexOf(stopServer), 1);
  }
}

function printTable(runs: Run[]): void {
  const rate = (rs: Run[]) => rs.reduce((s, r) => s + r.workflows, 0) / (rs.reduce((s, r) => s + r.wallMs, 0) / 1000);
  const ceiling = rate(runs.filter((r) => !r.setting.file));
  const width = Math.max(...SETTINGS.map((s) => s.name.length));
  console.log(`\n${'setting'.padEnd(width)}  wf/s    x in-memory  p50 ms  p99 ms  kill -9 safe  power loss`);
  for (const setting of SETTINGS) {
    const rs = runs.filter((r) => r.setting === setting);
    const r = rate(rs);
    const p = (q: 'p50' | 'p99') => Math.max(...rs.map((x) => x[q])).toFixed(0).padStart(6);
    console.log(`${setting.name.padEnd(width)}  ${r.toFixed(1).padStart(5)}  ${(r / ceiling).toFixed(2).padStart(9)}x  ${p('p50')}  ${p('p99')}  ${(setting.survivesServerCrash ? 'yes' : 'no').padEnd(12)}  ${setting.note}`);
  }
  console.log('\n(workflows/s over all rounds; p50/p99: the worst round; the in-memory server measured in the same run)');
}
