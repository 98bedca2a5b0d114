import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { ActivityDeps } from '../../activities';
import { createRenkeiWorker } from '../../workers/create-worker';
import { activityDeps, NOTIFY_EMAIL, SHOP_ID } from './au-pay-fixtures';
import { amazonPayTestClient } from './amazon-pay-fixtures';
import { startTestDatabase, type TestDatabase } from './database';
import { startDevServer } from './dev-server';
import { startTestSandbox, type TestSandbox } from './sandbox';
import { startTestApi } from './test-api';
import { workflowBundle } from './workflow-bundle';
import type { ShopDirectory } from '../../shops/shop-directory';

/** One integration test file's world: the dev server, a database, the sandbox, the real API and an in-process worker. */
export interface ApiWorld {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  sandbox: TestSandbox;
  /** the API's base URL */
  api: string;
  taskQueue: string;
  stop(): Promise<void>;
}

export async function startApiWorld(taskQueue: string, o: {
  deps?: (w: { db: TestDatabase; sandbox: TestSandbox }) => Partial<ActivityDeps>;
  knownShops?: readonly string[];
  /** shops and their settings from the database, for the API and the worker alike */
  shops?: (db: TestDatabase) => ShopDirectory;
} = {}): Promise<ApiWorld> {
  const { env } = await startDevServer();
  const [db, sandbox] = await Promise.all([startTestDatabase(), startTestSandbox()]);
  const amazonPay = amazonPayTestClient(sandbox);
  const shops = o.shops?.(db);
  const testApi = await startTestApi({ temporal: env.client, db: db.pool, taskQueue, knownShops: o.knownShops, shops });
  const worker: Worker = await createRenkeiWorker({
    connection: env.nativeConnection, namespace: 'default', taskQueue, workflowBundle,
    deps: {
      ...activityDeps(db.pool, sandbox),
      amazonPayShop: (s) => (s === SHOP_ID ? { client: amazonPay, notifyEmail: NOTIFY_EMAIL } : undefined),
      ...(shops ? { shops } : {}),
      ...o.deps?.({ db, sandbox }),
    },
  });
  const running = worker.run();
  return {
    env, db, sandbox, api: testApi.url, taskQueue,
    async stop() {
      worker.shutdown();
      await running;
      await testApi.stop();
      await Promise.all([db.stop(), sandbox.stop()]);
      await env.teardown();
    },
  };
}
