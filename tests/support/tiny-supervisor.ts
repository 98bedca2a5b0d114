import path from 'node:path';
import { startChild, startTsChild, waitFor } from '../../scripts/child-processes';

/**
 * The supervisor's code path with two tiny children: a Node one (like the worker, the API, the sandbox, PGlite) and a
 * program under the guard (like the Temporal CLI). Prints their pids once both run, then idles until killed.
 */
async function main() {
  let ready = false;
  const node = startTsChild('idle', path.join(__dirname, 'idle-child.ts'), process.env, (line) => {
    if (line.includes('idle child ready')) ready = true;
  });
  const program = startChild('sleep', 'sleep', ['600'], process.env);
  await waitFor('the idle child', async () => ready, 60_000, node);
  process.stdout.write(`${JSON.stringify({ node: node.process.pid, guard: program.process.pid })}\n`);
  setInterval(() => undefined, 60_000);
}
void main();
