import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporalCliPath } from '../../common/temporal-binaries';
import { startChild, stopChild, type Child } from '../../scripts/child-processes';
import { devServerArgs } from '../../scripts/dev-server-args';
import { freePort } from '../support/free-port';
import { until } from '../support/until';

/**
 * `npm start`'s dev server (the arguments run-system.ts uses, SQLite in WAL with synchronous=NORMAL) killed with
 * SIGKILL right after it acknowledged workflow starts: restarted on the same file, it still has every one of them.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'dev-server-crash-'));
const dbFile = path.join(dir, 'temporal.db');
const opened: Array<{ server: Child; connection: Connection }> = [];

async function startServer(): Promise<{ server: Child; client: Client }> {
  const port = await freePort();
  const server = startChild('temporal', temporalCliPath(), devServerArgs({ port, dbFile }), process.env);
  const connection = await until(() => Connection.connect({ address: `127.0.0.1:${port}`, connectTimeout: 1000 }).catch(() => undefined), 60_000, 250);
  opened.push({ server, connection });
  return { server, client: new Client({ connection }) };
}

afterAll(async () => {
  for (const { server, connection } of opened) {
    await connection.close().catch(() => undefined);
    await stopChild(server);
  }
  rmSync(dir, { recursive: true, force: true });
});

test('a kill -9 of the dev server loses no acknowledged workflow start', async () => {
  const first = await startServer();
  const ids = Array.from({ length: 20 }, (_, i) => `crash-${i}`);
  // no worker polls this queue: the starts stay open, only the server's write of them is under test
  await Promise.all(ids.map((workflowId) => first.client.workflow.start('nothingPolls', { workflowId, taskQueue: 'dev-server-crash' })));

  // the whole group (the guard and the CLI under it), by SIGKILL: nothing gets to flush or close the database
  process.kill(-first.server.process.pid!, 'SIGKILL');
  await first.server.exited;

  const second = await startServer();
  const statuses = await Promise.all(ids.map(async (id) => (await second.client.workflow.getHandle(id).describe()).status.name));
  expect(statuses).toEqual(ids.map(() => 'RUNNING'));
});
