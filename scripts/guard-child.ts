import { spawn } from 'node:child_process';
import os from 'node:os';
import { supervisorPid, watchParent } from '../common/parent-watch';

/**
 * `node --import tsx scripts/guard-child.ts <command> [args...]`: runs a program that cannot check its parent itself
 * (the Temporal CLI) so that it still ends with the supervisor. Signals are passed on; the guard exits with the
 * program's code. When the supervisor dies, the program gets SIGTERM, then SIGKILL after the grace period.
 */
const parentPid = supervisorPid();
const [command, ...args] = process.argv.slice(2);
if (!command) {
  process.stderr.write('usage: guard-child <command> [args...]\n');
  process.exit(2);
}
const child = spawn(command, args, { stdio: 'inherit' });
const GRACE_MS = 10_000;
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.on(signal, () => {
    child.kill(signal);
  });
}
watchParent(() => {
  process.stderr.write(`parent process gone: stopping ${command} (pid ${child.pid})\n`);
  child.kill('SIGTERM');
  setTimeout(() => child.kill('SIGKILL'), GRACE_MS).unref();
}, { parentPid });
child.on('error', (err) => {
  process.stderr.write(`${command}: ${err.message}\n`);
  process.exit(127);
});
child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? os.constants.signals[signal] : 0)));
