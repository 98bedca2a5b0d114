import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';

export interface RenkeiWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** A prebuilt bundle (tests build one per run); otherwise workflows/ is bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Tests use one to move the sandbox's clock with the time-skipping server's. */
  interceptors?: WorkerOptions['interceptors'];
  /** The payload codec (PAYLOAD_KEYS): given with a prebuilt bundle too, since codecs run outside the workflow sandbox. */
  dataConverter?: WorkerOptions['dataConverter'];
}

/** The one place a renkei worker is assembled: production, tests and benchmarks all come through here. */
export function createRenkeiWorker(o: RenkeiWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    activities: createActivities(o.deps),
    dataConverter: o.dataConverter,
    interceptors: o.interceptors,
    ...(o.workflowBundle ? { workflowBundle: o.workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
  });
}
