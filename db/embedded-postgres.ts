import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * The embedded default database: PGlite (real Postgres compiled to WASM) served over the Postgres wire protocol,
 * so the worker and the API use `pg` exactly as they would against a server. `dataDir` undefined keeps it in memory.
 */
export async function startEmbeddedPostgres(options: { dataDir?: string; port: number; host?: string; maxConnections?: number }): Promise<EmbeddedPostgres> {
  const db = await PGlite.create(options.dataDir);
  const host = options.host ?? '127.0.0.1';
  const server = new PGLiteSocketServer({ db, port: options.port, host, maxConnections: options.maxConnections ?? 100 });
  await server.start();
  return {
    url: `postgres://postgres@${host}:${options.port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
