import { readFileSync, writeFileSync } from 'node:fs';
import { startEmbeddedPostgres } from '../../db/embedded-postgres';
import { migrate } from '../../db/migrate';
import { createPool } from '../../db/pool';
import { freePort } from './free-port';

/** Where global-setup left this run's migrated PGlite data folder (a tar), for every test database to start from. */
export const PGLITE_TEMPLATE_ENV = 'RENKEI_TEST_PGLITE_TEMPLATE';

/**
 * Once per run: a PGlite with every migration applied, dumped to `file`. PGlite's initdb runs in WASM and takes
 * about 2.7 s per database; a test database loaded from this dump starts in about 0.4 s.
 */
export async function writePgliteTemplate(file: string): Promise<void> {
  const pg = await startEmbeddedPostgres({ port: await freePort() });
  const pool = createPool(pg.url);
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
  const dump = await pg.db.dumpDataDir('none');
  await pg.stop();
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
}

/** The run's template, when global-setup made one (not on a PostgreSQL server pass). */
export function pgliteTemplate(): Blob | undefined {
  const file = process.env[PGLITE_TEMPLATE_ENV];
  return file ? new Blob([readFileSync(file)]) : undefined;
}
