import { randomBytes } from 'node:crypto';
import { Client, type Pool } from 'pg';
import { startEmbeddedPostgres } from '../../db/embedded-postgres';
import { migrate } from '../../db/migrate';
import { createPool } from '../../db/pool';
import { freePort } from './free-port';
import { pgliteTemplate } from './pglite-template';

export interface TestDatabase {
  url: string;
  pool: Pool;
  stop(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: a new database on the server in DATABASE_URL when it is set (CI's
 * real PostgreSQL), otherwise an in-memory PGlite served over the Postgres protocol (the embedded default), started from
 * the run's migrated template (tests/support/pglite-template.ts).
 */
export async function startTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `renkei_test_${randomBytes(6).toString('hex')}`;
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const pool = createPool(url.toString());
    await migrate(pool);
    return {
      url: url.toString(),
      pool,
      async stop() {
        await pool.end();
        const drop = new Client({ connectionString: serverUrl });
        await drop.connect();
        await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await drop.end();
      },
    };
  }
  // from the run's migrated template when there is one: migrate then finds nothing to do
  const pg = await startEmbeddedPostgres({ port: await freePort(), loadDataDir: pgliteTemplate() });
  const pool = createPool(pg.url);
  await migrate(pool);
  return {
    url: pg.url,
    pool,
    async stop() {
      await pool.end();
      await pg.stop();
    },
  };
}
