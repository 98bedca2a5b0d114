/**
 * The database a benchmark runs on, laid out as `npm start` lays it out: the embedded PostgreSQL (PGlite) in its own
 * process (db/embedded-postgres-main.ts, data in a throwaway folder), or the server in DATABASE_URL when it is set.
 * In the bench's own process PGlite's WebAssembly ran on the same event loop as the worker and the API, so every query
 * stalled their workflow tasks and requests: a cost the deployed system does not pay.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { startTsChild, stopChild } from '../scripts/child-processes';
import { freePort } from '../tests/support/free-port';
import { startTestDatabase, type TestDatabase } from '../tests/support/database';
import { until } from '../tests/support/until';

export async function startBenchDatabase(): Promise<TestDatabase> {
  if (process.env.DATABASE_URL) return startTestDatabase();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'renkei-bench-pglite-'));
  const port = await freePort();
  const child = startTsChild('pglite', path.join(__dirname, '../db/embedded-postgres-main.ts'), {
    ...process.env, PGLITE_PORT: String(port), PGLITE_DATA_DIR: path.join(dataDir, 'pglite'),
  });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const stopAll = async () => {
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await until(async () => {
      if (child.process.exitCode !== null) throw new Error(`the embedded PostgreSQL exited with ${child.process.exitCode}`);
      const c = new Client({ connectionString: url });
      try {
        await c.connect();
        return true;
      } catch {
        return false;
      } finally {
        await c.end().catch(() => undefined);
      }
    }, 60_000, 100);
    const pool = createPool(url);
    await migrate(pool);
    return {
      url, pool,
      async stop() {
        await pool.end();
        await stopAll();
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
