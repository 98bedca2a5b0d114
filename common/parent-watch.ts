/**
 * Parent-death check for the processes `npm start` runs. A child of the supervisor is in its own process group (so
 * a terminal's Ctrl-C reaches only the supervisor, which stops the children in order); if the supervisor is killed
 * outright (SIGKILL), nothing would stop them. So each child checks every second that its parent is still the process
 * that started it (on Linux an orphan is re-parented to init or a subreaper, so `process.ppid` changes) and, once it
 * is not, stops itself as on SIGTERM: graceful first, then a hard exit after a grace period.
 */
export function watchParent(onParentGone: () => void, o: { everyMs?: number; parentPid?: number } = {}): () => void {
  const parent = o.parentPid ?? process.ppid;
  if (parentGone(parent)) {
    // already gone before this process got here (killed while we were loading)
    setImmediate(onParentGone);
    return () => undefined;
  }
  const timer = setInterval(() => {
    if (parentGone(parent)) {
      clearInterval(timer);
      onParentGone();
    }
  }, o.everyMs ?? 1000);
  timer.unref();
  return () => clearInterval(timer);
}

function parentGone(parent: number): boolean {
  if (process.ppid !== parent) return true;
  try {
    process.kill(parent, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'EPERM';
  }
}

/**
 * The supervisor's pid, as it passed it to this child (SUPERVISOR_PID_VARIABLE), so a supervisor killed while the
 * child was still loading is noticed too. Read once and removed, so the child's own children do not inherit it.
 */
export const SUPERVISOR_PID_VARIABLE = 'RENKEI_SUPERVISOR_PID';
export function supervisorPid(): number {
  const given = Number(process.env[SUPERVISOR_PID_VARIABLE]);
  delete process.env[SUPERVISOR_PID_VARIABLE];
  return Number.isInteger(given) && given > 0 ? given : process.ppid;
}

/**
 * When a supervisor started this process (it passes its pid in SUPERVISOR_PID_VARIABLE), this process stops itself
 * when the supervisor dies: SIGTERM to itself (its own shutdown path), then exit. Every entry point's runMain calls it.
 */
export function exitWithSupervisor(graceMs = 15_000): void {
  if (!process.env[SUPERVISOR_PID_VARIABLE]) return;
  watchParent(() => {
    process.stderr.write(`parent process gone: stopping (pid ${process.pid})\n`);
    setTimeout(() => process.exit(1), graceMs).unref();
    // a process with no SIGTERM handler of its own just ends here
    process.kill(process.pid, 'SIGTERM');
  }, { parentPid: supervisorPid() });
}
