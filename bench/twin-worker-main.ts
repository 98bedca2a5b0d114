/**
 * A worker process for a benchmark's twin workflows: the bundle at TWIN_WORKFLOW_BUNDLE and the no-op activity, on
 * TEMPORAL_TASK_QUEUE at TEMPORAL_ADDRESS, with the SDK's defaults, as renkei's worker runs in its own process.
 */
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { runMain } from '../common/env';
import { temporalSdkLogger } from '../common/temporal-logger';
import type { BaselineActivities } from './baseline-workflow';

runMain(async () => {
  const need = (name: string) => process.env[name] ?? (() => { throw new Error(`${name} is required`); })();
  Runtime.install({ logger: temporalSdkLogger('warn') });
  const connection = await NativeConnection.connect({ address: need('TEMPORAL_ADDRESS') });
  const noop: BaselineActivities['noop'] = async () => undefined;
  const worker = await Worker.create({
    connection, taskQueue: need('TEMPORAL_TASK_QUEUE'), workflowBundle: { codePath: need('TWIN_WORKFLOW_BUNDLE') }, activities: { noop },
  });
  console.log('worker polling');
  await worker.run(); // until SIGTERM (the SDK's shutdown signals)
  await connection.close();
});
