import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import { createLogger } from '../common/logger';
import { orderOutDispatcherWorkflow } from '../workflows/order-out-dispatcher';
import { ORDER_OUT_DISPATCHER_WORKFLOW_ID } from '../workflows/workflow-ids';

const log = createLogger('worker');

/** Every worker makes sure the one dispatcher runs; the first start wins, the others find it running. */
export async function ensureOrderOutDispatcher(client: Client, taskQueue: string): Promise<void> {
  try {
    await client.workflow.start(orderOutDispatcherWorkflow, {
      workflowId: ORDER_OUT_DISPATCHER_WORKFLOW_ID, taskQueue, args: [{}], workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });
    log.info('order OUT dispatcher running', { workflowId: ORDER_OUT_DISPATCHER_WORKFLOW_ID });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
