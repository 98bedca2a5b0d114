/**
 * What a benchmark of the real worker process (workers/main.ts, spawned by tests/support/worker-process.ts) starts
 * on: the worker's lines below warn held back, a dev server and a database, both stopped by the bench's cleanups.
 */
import path from 'node:path';
import { startTestDatabase } from '../tests/support/database';
import { startDevServer } from '../tests/support/dev-server';
import type { Cleanups } from './bench-main';
import { holdBackChildLines } from './quiet-logs';

/** Where the benchmarks keep their prebuilt workflow bundle (workers/workflow-bundle.ts ensureWorkflowBundle). */
export const BENCH_BUNDLE_PATH = path.resolve(__dirname, '../.data/bench/workflow-bundle.js');

export async function startWorkerBenchWorld(cleanups: Cleanups) {
  holdBackChildLines('worker');
  const { env, address } = await startDevServer();
  cleanups.push(() => env.teardown());
  const db = await startTestDatabase();
  cleanups.push(() => db.stop());
  return { env, address, db };
}
