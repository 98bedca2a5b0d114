import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { SUPERVISOR_PID_VARIABLE } from '../common/parent-watch';

/** A child process whose output is prefixed with its name, so the run command's console stays readable. */
export interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<number | null>;
}

const GUARD = path.join(__dirname, 'guard-child.ts');

/**
 * Spawns `file` in its own process group (so a terminal's Ctrl-C reaches the supervisor only, which stops the children
 * in order, and stopping a child reaches whatever it started), its lines prefixed with `name`.
 */
function spawnChild(name: string, file: string, args: string[], env: NodeJS.ProcessEnv, onLine?: (line: string) => void): Child {
  const child = spawn(file, args, { env: { ...env, [SUPERVISOR_PID_VARIABLE]: String(process.pid) }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const label = `[${name}]`.padEnd(10);
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream! }).on('line', (line) => {
      process.stdout.write(`${label} ${line}\n`);
      onLine?.(line);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { name, process: child, exited };
}

/**
 * A program that cannot watch its parent itself (the Temporal CLI) runs under the guard (`guard-child.ts`), which
 * stops it when this process dies, even by SIGKILL.
 */
export function startChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, onLine?: (line: string) => void): Child {
  return spawnChild(name, process.execPath, ['--import', 'tsx', GUARD, command, ...args], env, onLine);
}

/**
 * Runs a TypeScript entry point with node and tsx's loader (one process, so signals reach it directly). Its runMain
 * finds this process's pid in the environment and stops the child when this process dies, even by SIGKILL.
 */
export const startTsChild = (name: string, entry: string, env: NodeJS.ProcessEnv, onLine?: (line: string) => void) =>
  spawnChild(name, process.execPath, ['--import', 'tsx', entry], env, onLine);

const hasExited = (child: Child) => child.process.exitCode !== null || child.process.signalCode !== null;

/** SIGTERM, then SIGKILL to its whole process group after the grace period. */
export async function stopChild(child: Child, graceMs = 10_000): Promise<void> {
  if (hasExited(child)) return;
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(timer);
}

function killGroup(child: Child, signal: NodeJS.Signals): void {
  try {
    if (child.process.pid) process.kill(-child.process.pid, signal);
  } catch {
    child.process.kill(signal);
  }
}

/** A child the supervisor restarts when it dies, with exponential backoff, instead of stopping everything. */
export interface Supervised {
  name: string;
  /** the process running now (or the last one, while a restart waits) */
  current(): Child;
  /** From now on an exit is a crash to restart; before, it is a failed start (the caller's waitFor reports it). */
  ready(): void;
  /** Stops it for good: no restart after this. */
  stop(graceMs?: number): Promise<void>;
  restarts: number;
}

export interface SuperviseOptions {
  /** first delay before a restart; doubled at each crash in a row, up to maxBackoffMs */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** a process that ran this long before it died starts the backoff over */
  healthyAfterMs?: number;
  log?: (line: string) => void;
}

export function supervise(start: () => Child, o: SuperviseOptions = {}): Supervised {
  const minBackoff = o.minBackoffMs ?? 1_000;
  const maxBackoff = o.maxBackoffMs ?? 30_000;
  const healthyAfter = o.healthyAfterMs ?? 60_000;
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let child = start();
  let startedAt = Date.now();
  let isReady = false;
  let stopped = false;
  let crashesInARow = 0;
  let timer: NodeJS.Timeout | undefined;
  const self: Supervised = {
    name: child.name,
    current: () => child,
    ready: () => {
      isReady = true;
    },
    async stop(graceMs) {
      stopped = true;
      if (timer) clearTimeout(timer);
      await stopChild(child, graceMs);
    },
    restarts: 0,
  };
  const onExit = (running: Child) => (code: number | null) => {
    if (stopped || !isReady || running !== child) return;
    crashesInARow = Date.now() - startedAt >= healthyAfter ? 1 : crashesInARow + 1;
    const delay = Math.min(maxBackoff, minBackoff * 2 ** (crashesInARow - 1));
    const how = code === null ? `signal ${running.process.signalCode}` : `code ${code}`;
    log(`${running.name} exited unexpectedly (${how}); restarting in ${(delay / 1000).toFixed(1)} s`);
    timer = setTimeout(() => {
      timer = undefined;
      if (stopped) return;
      child = start();
      startedAt = Date.now();
      self.restarts += 1;
      log(`${child.name} restarted (pid ${child.process.pid}, restart ${self.restarts})`);
      void child.exited.then(onExit(child));
    }, delay);
  };
  void child.exited.then(onExit(child));
  return self;
}

/** Throws a message naming the variable when a port is already taken. */
export async function assertPortFree(port: number, variable: string, host = '127.0.0.1'): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(err.code === 'EADDRINUSE' ? `port ${port} is already taken: set ${variable} to a free port` : err.message)),
    );
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

/** Polls `probe` until it resolves true, or fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, child?: Child): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && hasExited(child)) {
      throw new Error(`${child.name} exited with ${child.process.exitCode ?? child.process.signalCode} before ${what}`);
    }
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
