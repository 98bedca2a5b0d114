/**
 * What an in-process benchmark starts on: a dev server with renkei's search attributes, a database in its own process (as
 * npm start runs it; bench-database.ts) and the sandbox, each stopped by the bench's cleanups.
 */
import { startBenchDatabase } from './bench-database';
import { startDevServer } from '../tests/support/dev-server';
import { startTestSandbox } from '../tests/support/sandbox';
import type { Cleanups } from './bench-main';

export async function startBenchWorld(cleanups: Cleanups) {
  const { env, address } = await startDevServer();
  cleanups.push(() => env.teardown());
  const db = await startBenchDatabase();
  cleanups.push(() => db.stop());
  const sandbox = await startTestSandbox();
  cleanups.push(() => sandbox.stop());
  return { env, address, db, sandbox };
}
