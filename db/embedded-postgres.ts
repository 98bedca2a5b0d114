import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { acquirePidLock, type PidLock } from '../common/pid-lock';
import { keepExtendedQueriesWhole } from './pglite-whole-queries';

export interface EmbeddedPostgres {
  url: string;
  /** The PGlite itself, for what the wire protocol cannot do (dumping its data folder). */
  db: PGlite;
  stop(): Promise<void>;
}

/** The lock file of a PGlite data folder: beside it (`.data/pglite.lock` for `.data/pglite`), not inside PGDATA. */
export const dataDirLockFile = (dataDir: string) => `${path.resolve(dataDir)}.lock`;

/**
 * The embedded default database: PGlite (real Postgres compiled to WASM) served over the Postgres wire protocol,
 * so the worker and the API use `pg` exactly as they would against a server. `dataDir` undefined keeps it in memory.
 *
 * A data folder is opened by one process at a time: PGlite has no postmaster.pid of its own, and two of them on one
 * folder lose acknowledged writes and can leave a database that no longer starts. So the folder is locked (a lock
 * file with the owner's pid, stale when that process is gone) before PGlite opens it, and a second server refuses.
 */
export async function startEmbeddedPostgres(options: {
  dataDir?: string;
  port: number;
  host?: string;
  maxConnections?: number;
  /** A dumped data folder to start from (tests: a migrated template), instead of PGlite's initdb. */
  loadDataDir?: Blob;
}): Promise<EmbeddedPostgres> {
  let lock: PidLock | undefined;
  if (options.dataDir) {
    mkdirSync(path.dirname(path.resolve(options.dataDir)), { recursive: true });
    lock = acquirePidLock(dataDirLockFile(options.dataDir), `the PGlite data folder ${options.dataDir}`);
  }
  try {
    const db = await PGlite.create(options.dataDir, options.loadDataDir ? { loadDataDir: options.loadDataDir } : undefined);
    const host = options.host ?? '127.0.0.1';
    const server = new PGLiteSocketServer({ db, port: options.port, host, maxConnections: options.maxConnections ?? 100 });
    keepExtendedQueriesWhole(server);
    try {
      await server.start();
    } catch (err) {
      await db.close();
      throw err;
    }
    return {
      url: `postgres://postgres@${host}:${options.port}/postgres`,
      db,
      async stop() {
        await server.stop();
        await db.close();
        lock?.release();
      },
    };
  } catch (err) {
    lock?.release();
    throw err;
  }
}
