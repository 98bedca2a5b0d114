import path from 'node:path';
import { startTsChild, stopChild, waitFor, type Child } from '../../scripts/child-processes';
import { freePort } from './free-port';

const live = new Set<Child>();
// A test that times out skips its cleanup: no worker process may outlive the test run.
process.once('exit', () => live.forEach((c) => c.process.kill('SIGKILL')));

const WORKER_MAIN = path.resolve(__dirname, '../../workers/main.ts');

/** The real worker entry point (workers/main.ts) as its own process, so a test can kill it like a crash would. */
/** `onLine` sees every line the worker writes (stdout and stderr), e.g. to check that no secret is logged. */
/** `entry`: another worker's entry point that logs 'worker polling' once it polls (a benchmark's twin worker). */
export async function startWorkerProcess(
  env: NodeJS.ProcessEnv, onLine?: (line: string) => void, entry = WORKER_MAIN,
): Promise<Child & { kill(): Promise<void>; stop(): Promise<void> }> {
  let polling = false;
  // its /metrics and the Temporal SDK's exporter on free ports, unless the test chose them
  const ports = { WORKER_METRICS_PORT: String(await freePort()), TEMPORAL_SDK_METRICS_PORT: String(await freePort()) };
  // the run's prebuilt bundle (global-setup) when there is one: no webpack at each worker start
  const bundle = process.env.RENKEI_TEST_WORKFLOW_BUNDLE ? { WORKER_WORKFLOW_BUNDLE: process.env.RENKEI_TEST_WORKFLOW_BUNDLE } : {};
  const name = entry === WORKER_MAIN ? 'worker' : path.basename(entry, '.ts').replace(/-main$/, '');
  const child = startTsChild(name, entry, { ...process.env, ...bundle, ...ports, ...env }, (line) => {
    if (line.includes('worker polling')) polling = true;
    onLine?.(line);
  });
  live.add(child);
  void child.exited.then(() => live.delete(child));
  await waitFor('the worker to poll', async () => polling, 90_000, child);
  return {
    ...child,
    async kill() {
      child.process.kill('SIGKILL');
      await child.exited;
    },
    stop: () => stopChild(child),
  };
}
