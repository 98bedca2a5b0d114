import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { registerSearchAttributes } from '../../workers/register-search-attributes';
import { temporalTestServerPath } from '../../common/temporal-binaries';
import { createRenkeiWorker } from '../../workers/create-worker';
import type { AmazonPayClient } from '../../amazon-pay/client-types';
import type { ActivityDeps } from '../../activities';
import { activityDeps, NOTIFY_EMAIL, SHOP_ID } from './au-pay-fixtures';
import { amazonPayTestClient, followServerClock } from './amazon-pay-fixtures';
import { startTestDatabase, type TestDatabase } from './database';
import { startTestSandbox, type TestSandbox } from './sandbox';
import { workflowBundle } from './workflow-bundle';

export interface TimeSkippingRig {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  sandbox: TestSandbox;
  amazonPay: AmazonPayClient;
  taskQueue: string;
  stop(): Promise<void>;
}

/**
 * One test file's world: the time-skipping server, a database, the sandbox, and a worker with the real activities
 * whose sandbox clock follows the server's.
 */
export interface RigOptions {
  auPayTimeoutMs?: number;
  /** More activity dependencies (e.g. a Yahoo or O-PLUX shop), built once the database and sandbox are up. */
  deps?: (world: { db: TestDatabase; sandbox: TestSandbox }) => Partial<ActivityDeps>;
}

export async function startTimeSkippingRig(taskQueue: string, o: RigOptions = {}): Promise<TimeSkippingRig> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTestServerPath() } } });
  await registerSearchAttributes(env.connection, 'default');
  const [db, sandbox] = await Promise.all([startTestDatabase(), startTestSandbox()]);
  const amazonPay = amazonPayTestClient(sandbox);
  const worker: Worker = await createRenkeiWorker({
    connection: env.nativeConnection, namespace: 'default', taskQueue, workflowBundle,
    deps: {
      ...activityDeps(db.pool, sandbox, o.auPayTimeoutMs),
      amazonPayShop: (shopId) => (shopId === SHOP_ID ? { client: amazonPay, notifyEmail: NOTIFY_EMAIL } : undefined),
      ...o.deps?.({ db, sandbox }),
    },
    interceptors: followServerClock(sandbox.amazonPay.kit.clock, sandbox.yahoo.kit.clock, sandbox.oplux.kit.clock, sandbox.externalSystem.kit.clock),
  });
  const running = worker.run();
  return {
    env, db, sandbox, amazonPay, taskQueue,
    async stop() {
      worker.shutdown();
      await running;
      await Promise.all([db.stop(), sandbox.stop()]);
      await env.teardown();
    },
  };
}
