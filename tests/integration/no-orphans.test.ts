import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { startTsChild, supervise } from '../../scripts/child-processes';
import { until } from '../support/until';

const ROOT = path.resolve(__dirname, '../..');

/** True while the process runs (EPERM: it runs as someone else). */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True while any process is in the process group `pgid`. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function firstJsonLine<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      if (line.startsWith('{')) resolve(JSON.parse(line) as T);
    });
    child.once('exit', (code) => reject(new Error(`supervisor exited (${code}) before its children ran`)));
  });
}

describe('the local stack leaves no orphans', () => {
  const groups: number[] = [];
  afterAll(() => {
    for (const p of groups) {
      if (groupAlive(p)) process.kill(-p, 'SIGKILL');
      else if (pidAlive(p)) process.kill(p, 'SIGKILL');
    }
  });

  it('SIGKILL of the supervisor: every child (a Node one and a guarded program) stops by itself', async () => {
    const supervisor = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tests/support/tiny-supervisor.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pids = await firstJsonLine<{ node: number; guard: number }>(supervisor);
    groups.push(pids.node, pids.guard);
    expect(pidAlive(pids.node)).toBe(true);
    expect(pidAlive(pids.guard)).toBe(true);

    supervisor.kill('SIGKILL');
    await new Promise((resolve) => supervisor.once('exit', resolve));

    // the children, and whatever they run (each child leads its own process group), are gone by themselves
    await until(() => !pidAlive(pids.node) && !pidAlive(pids.guard) && !groupAlive(pids.node) && !groupAlive(pids.guard), 30_000);
  });

  it('a child that dies is restarted with backoff, and stopping it stops it for good', async () => {
    const pids: number[] = [];
    const lines: string[] = [];
    const child = supervise(() => {
      const c = startTsChild('crashy', path.join(ROOT, 'tests/support/idle-child.ts'), { ...process.env, IDLE_CHILD_EXIT_CODE: '3' });
      pids.push(c.process.pid!);
      return c;
    }, { minBackoffMs: 50, maxBackoffMs: 200, log: (line) => lines.push(line) });
    child.ready();
    await until(() => child.restarts >= 3, 60_000);
    await child.stop();
    expect(new Set(pids).size).toBe(pids.length);
    expect(lines.filter((l) => l.includes('exited unexpectedly (code 3); restarting in'))).not.toHaveLength(0);
    const restarts = child.restarts;
    await until(async () => {
      await child.current().exited;
      return true;
    });
    expect(child.restarts).toBe(restarts);
  });

  it('a second npm start on the same data folder refuses, whatever the ports', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'renkei-start-lock-'));
    try {
      // held by a live process (this one), as a running npm start would
      writeFileSync(path.join(dataDir, 'npm-start.lock'), `${JSON.stringify({ pid: process.pid, host: os.hostname() })}\n`);
      const start = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/run-system.ts')], {
        env: { ...process.env, DATA_DIR: dataDir, API_PORT: '1', TEMPORAL_PORT: '2', TEMPORAL_UI_PORT: '3', SANDBOX_PORT: '4', SMTP_PORT: '5', PGLITE_PORT: '6', SANDBOX_TLS_PORT: '7' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      start.stdout!.on('data', (d: Buffer) => (output += d.toString()));
      start.stderr!.on('data', (d: Buffer) => (output += d.toString()));
      const code = await new Promise((resolve) => start.once('exit', resolve));
      expect(code).toBe(1);
      expect(output).toContain(`another npm start is running on this data folder: the data folder ${dataDir} is already in use by process ${process.pid}`);
      expect(output).not.toContain('Temporal dev server');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
