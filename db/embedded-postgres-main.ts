import { z } from 'zod';
import { parseEnv, port, runMain } from '../common/env';
import { createLogger } from '../common/logger';
import { startEmbeddedPostgres } from './embedded-postgres';

const log = createLogger('pglite');

/** Runs the embedded PostgreSQL (PGlite) as its own process, with its data under PGLITE_DATA_DIR. */
runMain(async () => {
  const env = parseEnv({ PGLITE_PORT: port(5433), PGLITE_DATA_DIR: z.string().min(1).default('.data/pglite') });
  const pg = await startEmbeddedPostgres({ dataDir: env.PGLITE_DATA_DIR, port: env.PGLITE_PORT }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') throw new Error(`port ${env.PGLITE_PORT} is already taken: set PGLITE_PORT to a free port`);
    throw err;
  });
  log.info('embedded PostgreSQL ready', { url: pg.url, dataDir: env.PGLITE_DATA_DIR });
  const stop = () => void pg.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
});
