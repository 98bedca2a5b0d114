import { Pool } from 'pg';

/** One pool per process. Small: the worker's activities and the API are I/O bound and PGlite serialises anyway. */
export function createPool(databaseUrl: string, max = 10): Pool {
  const pool = new Pool({ connectionString: databaseUrl, max, idleTimeoutMillis: 30_000 });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on('error', (err) => console.error(`postgres pool: ${err.message}`));
  return pool;
}
