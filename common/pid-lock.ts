import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';

/** Thrown when another live process holds the lock; the message names the holder and the file. */
export class LockHeldError extends Error {
  override name = 'LockHeldError';
}

export interface PidLock {
  file: string;
  /** Removes the lock file if it is still ours. Safe to call twice. */
  release(): void;
}

interface LockRecord {
  pid: number;
  host?: string;
  since?: string;
  what?: string;
  /** the process's start time in clock ticks since boot (Linux), so a pid reused by another process reads as stale */
  started?: number;
}

function processStart(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const started = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    return Number.isFinite(started) ? started : undefined;
  } catch {
    return undefined;
  }
}

/** The lock's owner still runs: its pid is alive and, where the system tells, is the same process that wrote it. */
function holderAlive(holder: LockRecord): boolean {
  if (!pidAlive(holder.pid)) return false;
  const started = holder.started === undefined ? undefined : processStart(holder.pid);
  return started === undefined || started === holder.started;
}

/** True when a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readRecord(file: string): LockRecord | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as LockRecord;
    return Number.isInteger(parsed.pid) ? parsed : undefined;
  } catch {
    return undefined; // gone, half written or not ours: treated as stale
  }
}

/**
 * Takes an exclusive lock: `file` is created (O_EXCL) holding this process's pid. A lock whose pid no longer runs on
 * this host is stale (its owner was killed) and is taken over; a live one refuses with a LockHeldError. The lock is
 * released on a normal exit; after a SIGKILL it stays behind and the next start finds it stale.
 */
export function acquirePidLock(file: string, what: string): PidLock {
  const record: LockRecord = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), what, started: processStart(process.pid) };
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      try {
        writeSync(fd, `${JSON.stringify(record)}\n`);
      } finally {
        closeSync(fd);
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw err;
    }
    const holder = readRecord(file);
    if (holder && (holder.host === undefined || holder.host === os.hostname()) && holderAlive(holder)) {
      throw new LockHeldError(
        `${what} is already in use by process ${holder.pid}${holder.since ? ` (since ${holder.since})` : ''}: ` +
          `stop that process first, or use another data folder. If no such process of renkei runs, delete ${file}.`,
      );
    }
    if (holder && holder.host !== undefined && holder.host !== os.hostname()) {
      throw new LockHeldError(`${what} is locked by process ${holder.pid} on host ${holder.host}; if it no longer runs, delete ${file}.`);
    }
    // stale: its owner is gone (or the file is not a lock we wrote); take it over, unless another starter just did
    if (JSON.stringify(readRecord(file)) !== JSON.stringify(holder)) continue;
    try {
      unlinkSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    if (readRecord(file)?.pid === process.pid) {
      try {
        unlinkSync(file);
      } catch {
        // already gone
      }
    }
  };
  process.once('exit', release);
  return { file, release };
}
