import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { externalSystemClients } from './shop-clients';

/** Workflow interceptors every renkei worker runs; a prebuilt bundle must be bundled with them. */
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('../workflows/failure-interceptor')];

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
  /** WORKER_MAX_CACHED_WORKFLOWS (config/index.ts): bounds the worker's memory; the SDK's default when absent */
  maxCachedWorkflows?: number;
  /** WORKER_MAX_CONCURRENT_ACTIVITIES / WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: the worker's task slots; the SDK's defaults when absent */
  maxConcurrentActivityTaskExecutions?: number;
  maxConcurrentWorkflowTaskExecutions?: number;
}

/** The one place a renkei worker is assembled: production, tests and benchmarks all come through here. */
export function createRenkeiWorker(o: RenkeiWorkerOptions): Promise<Worker> {
  // The failure converter that encrypts failures' messages (PAYLOAD_KEYS) runs inside the workflow code, so it must be
  // bundled with it: the prebuilt bundles are made without it, and would let those messages out in clear. With one,
  // the workflows are bundled here, with it.
  const workflowBundle = o.dataConverter?.failureConverterPath ? undefined : o.workflowBundle;
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    // each shop's external system from the sealed accounts, unless given
    activities: createActivities({ ...o.deps, externalSystem: o.deps.externalSystem ?? externalSystemClients(o.deps.accounts) }),
    dataConverter: o.dataConverter,
    ...(o.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: o.maxCachedWorkflows } : {}),
    ...(o.maxConcurrentActivityTaskExecutions !== undefined ? { maxConcurrentActivityTaskExecutions: o.maxConcurrentActivityTaskExecutions } : {}),
    ...(o.maxConcurrentWorkflowTaskExecutions !== undefined ? { maxConcurrentWorkflowTaskExecutions: o.maxConcurrentWorkflowTaskExecutions } : {}),
    // a prebuilt bundle carries the workflow interceptors already (bundled with WORKFLOW_INTERCEPTOR_MODULES)
    interceptors: workflowBundle ? o.interceptors : { ...o.interceptors, workflowModules: [...(o.interceptors?.workflowModules ?? []), ...WORKFLOW_INTERCEPTOR_MODULES] },
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
  });
}
