/**
 * A worker process serving only the baseline (bench/baseline-workflow.ts, its no-op activity), so a benchmark can set
 * the real worker process (workers/main.ts) against a minimal one, each in its own process with its own RSS.
 * TEMPORAL_ADDRESS and TEMPORAL_TASK_QUEUE from the environment; it says 'baseline worker polling' once it polls.
 */
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { runMain } from '../common/env';
import { temporalSdkLogger } from '../common/temporal-logger';
import type { BaselineActivities } from './baseline-workflow';

runMain(async () => {
  Runtime.install({ logger: temporalSdkLogger('warn') });
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
  const noop: BaselineActivities['noop'] = async () => undefined;
  const worker = await Worker.create({
    connection, taskQueue: process.env.TEMPORAL_TASK_QUEUE ?? 'bench-baseline', workflowsPath: require.resolve('./baseline-workflow'), activities: { noop },
  });
  console.log('baseline worker polling');
  await worker.run();
  await connection.close();
});
