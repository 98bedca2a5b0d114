import { z } from 'zod';
import { ConfigError, parseEnv, runMain } from '../common/env';
import { portsShape } from '../common/local-urls';
import { LockHeldError } from '../common/pid-lock';
import { createLogger } from '../common/logger';
import { startEmbeddedPostgres } from './embedded-postgres';

const log = createLogger('pglite');

/**
 * Runs the embedded PostgreSQL (PGlite) as its own process, with its data under PGLITE_DATA_DIR, which it locks
 * (PGLITE_DATA_DIR.lock): a second server on the same folder refuses to start. PGlite does not fsync: its writes
 * survive this process being killed, not a power loss or an OS crash (use DATABASE_URL for data that must).
 */
runMain(async () => {
  const env = parseEnv({ PGLITE_PORT: portsShape.PGLITE_PORT, PGLITE_DATA_DIR: z.string().min(1).default('.data/pglite') });
  const pg = await startEmbeddedPostgres({ dataDir: env.PGLITE_DATA_DIR, port: env.PGLITE_PORT }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') throw new ConfigError(`port ${env.PGLITE_PORT} is already taken: set PGLITE_PORT to a free port`);
    if (err instanceof LockHeldError) throw new ConfigError(err.message);
    throw err;
  });
  log.info('embedded PostgreSQL ready', { url: pg.url, dataDir: env.PGLITE_DATA_DIR });
  const stop = () => void pg.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
});
