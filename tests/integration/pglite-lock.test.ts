import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { dataDirLockFile, startEmbeddedPostgres } from '../../db/embedded-postgres';
import { startTsChild, stopChild, waitFor, type Child } from '../../scripts/child-processes';
import { LockHeldError } from '../../common/pid-lock';
import { freePort } from '../support/free-port';
import { until } from '../support/until';

const ROOT = path.resolve(__dirname, '../..');

/** A pid that certainly runs no more: a process that has exited. */
async function deadPid(): Promise<number> {
  const p = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => p.once('exit', resolve));
  return p.pid!;
}

async function query(url: string, sql: string, params: unknown[] = []) {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
}

describe('the PGlite data folder is opened by one server at a time', () => {
  let dir: string;
  const live: Child[] = [];
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'renkei-pglite-lock-'));
  });
  afterEach(async () => {
    for (const c of live.splice(0)) await stopChild(c);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a second server on the same folder refuses to start, in-process and as its own process, and the data stays whole', async () => {
    const dataDir = path.join(dir, 'pglite');
    const first = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    try {
      await query(first.url, 'CREATE TABLE acknowledged (n int)');
      await query(first.url, 'INSERT INTO acknowledged VALUES (1)');
      const lock = JSON.parse(readFileSync(dataDirLockFile(dataDir), 'utf8')) as { pid: number };
      expect(lock.pid).toBe(process.pid);

      await expect(startEmbeddedPostgres({ dataDir, port: await freePort() })).rejects.toThrow(LockHeldError);

      // the real entry point (what `npm start` runs): refuses with a clear message and exit code 2, never opens the folder
      const lines: string[] = [];
      const second = startTsChild('pglite-2', path.join(ROOT, 'db/embedded-postgres-main.ts'), {
        ...process.env, PGLITE_PORT: String(await freePort()), PGLITE_DATA_DIR: dataDir,
      }, (line) => lines.push(line));
      live.push(second);
      expect(await second.exited).toBe(2);
      expect(lines.join('\n')).toContain(`is already in use by process ${process.pid}`);

      await query(first.url, 'INSERT INTO acknowledged VALUES (2)');
      expect(await query(first.url, 'SELECT n FROM acknowledged ORDER BY n')).toEqual([{ n: 1 }, { n: 2 }]);
    } finally {
      await first.stop();
    }
    expect(existsSync(dataDirLockFile(dataDir))).toBe(false); // released on stop

    // reopened afterwards: every acknowledged write is there
    const again = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    try {
      expect(await query(again.url, 'SELECT n FROM acknowledged ORDER BY n')).toEqual([{ n: 1 }, { n: 2 }]);
    } finally {
      await again.stop();
    }
  });

  it('a lock left by a server that was killed (its pid gone) is stale and taken over', async () => {
    const dataDir = path.join(dir, 'pglite');
    writeFileSync(dataDirLockFile(dataDir), `${JSON.stringify({ pid: await deadPid(), host: os.hostname(), since: '2026-01-01T00:00:00Z' })}\n`);
    const pg = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    try {
      expect(JSON.parse(readFileSync(dataDirLockFile(dataDir), 'utf8'))).toMatchObject({ pid: process.pid });
    } finally {
      await pg.stop();
    }
  });

  it('a server killed with SIGKILL leaves its lock; the next server takes it over and finds its data', async () => {
    const dataDir = path.join(dir, 'pglite');
    const port = await freePort();
    let ready = false;
    const server = startTsChild('pglite', path.join(ROOT, 'db/embedded-postgres-main.ts'), { ...process.env, PGLITE_PORT: String(port), PGLITE_DATA_DIR: dataDir }, (line) => {
      if (line.includes('embedded PostgreSQL ready')) ready = true;
    });
    live.push(server);
    await waitFor('PGlite', async () => ready, 60_000, server);
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    await query(url, 'CREATE TABLE kept (n int)');
    await query(url, 'INSERT INTO kept VALUES (7)');
    // a second server while it runs: refused
    await expect(startEmbeddedPostgres({ dataDir, port: await freePort() })).rejects.toThrow(`is already in use by process ${server.process.pid}`);
    server.process.kill('SIGKILL');
    await server.exited;
    expect(JSON.parse(readFileSync(dataDirLockFile(dataDir), 'utf8'))).toMatchObject({ pid: server.process.pid });

    const next = await until(() => startEmbeddedPostgres({ dataDir, port }).catch(() => undefined), 30_000);
    try {
      expect(await query(next.url, 'SELECT n FROM kept')).toEqual([{ n: 7 }]);
    } finally {
      await next.stop();
    }
  });
});
