/**
 * `npm run bench:worker-start [-- --runs N]`: the real worker process (workers/main.ts) from spawn to its
 * "worker polling" line, N times (default 3) each way, alternating, on one dev server and database: bundling
 * workflows/ at start (no WORKER_WORKFLOW_BUNDLE) against loading the prebuilt bundle (workers/workflow-bundle.ts, as
 * `npm start` and the image do). Printed: each run, the medians and their ratio. Nothing is asserted on time.
 */
import os from 'node:os';
import path from 'node:path';
import { startWorkerProcess } from '../tests/support/worker-process';
import { ensureWorkflowBundle } from '../workers/workflow-bundle';
import { parseIntFlags } from './args';
import { runBench, type Cleanups } from './bench-main';
import { BENCH_BUNDLE_PATH, startWorkerBenchWorld } from './worker-bench-world';

const USAGE = 'usage: npm run bench:worker-start -- [--runs N]   (a positive integer; default 3)';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(cleanups: Cleanups): Promise<number> {
  let runs: number;
  try {
    ({ runs } = parseIntFlags(process.argv.slice(2), { runs: 3 }, USAGE));
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  const { address, db } = await startWorkerBenchWorld(cleanups);
  const bundlePath = BENCH_BUNDLE_PATH;
  const tBundle = Date.now();
  const built = await ensureWorkflowBundle(bundlePath);
  console.log(`worker start benchmark: ${os.cpus().length} CPUs, Node ${process.version}; machine shared with other runs (ratios, not absolute figures)`);
  console.log(`bundle ${path.relative(process.cwd(), bundlePath)}: ${built.rebuilt ? `built in ${Date.now() - tBundle} ms` : 'up to date'} (key ${built.key.slice(0, 12)})\n`);

  const base = { TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: 'bench-worker-start', DATABASE_URL: db.url };
  delete process.env.WORKER_WORKFLOW_BUNDLE; // the worker inherits this environment: bundling means none set
  const times: Record<'bundling' | 'prebuilt', number[]> = { bundling: [], prebuilt: [] };
  for (let i = 0; i < runs; i++) {
    for (const way of ['bundling', 'prebuilt'] as const) {
      const t = Date.now();
      const worker = await startWorkerProcess({ ...base, ...(way === 'prebuilt' ? { WORKER_WORKFLOW_BUNDLE: bundlePath } : {}) });
      const ms = Date.now() - t;
      await worker.stop();
      times[way].push(ms);
      console.log(`run ${i + 1} ${way.padEnd(8)} spawn → polling ${ms} ms`);
    }
  }
  const [b, p] = [median(times.bundling), median(times.prebuilt)];
  console.log(`\nmedian spawn → polling: bundling at start ${b} ms, prebuilt bundle ${p} ms → ${(b / p).toFixed(2)}x faster (${b - p} ms saved per start)`);
  return 0;
}

runBench(main);
