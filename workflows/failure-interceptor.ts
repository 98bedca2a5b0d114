import {
  ActivityFailure, ChildWorkflowFailure, isCancellation, proxyActivities, TemporalFailure, workflowInfo,
  type WorkflowExecuteInput, type WorkflowInboundCallsInterceptor, type WorkflowInterceptorsFactory, type Next,
} from '@temporalio/workflow';
import type { createProcessFailureActivities } from '../activities/process-failure-activities';
import { ORDER_PROCESSES, type OrderProcess } from './process-failure';
import { localIo } from './retry-policies';

const local = proxyActivities<ReturnType<typeof createProcessFailureActivities>>(localIo);

/**
 * A process that fails shows as failed on its order, never as still running: before the failure ends the
 * workflow, it is recorded (status and reason) and the shop is mailed. One interceptor for every order process,
 * so no workflow can forget it. The workflow still fails, so Temporal shows it failed and a re-request may run it again.
 */
class RecordFailure implements WorkflowInboundCallsInterceptor {
  async execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    try {
      return await next(input);
    } catch (err) {
      // only a TemporalFailure fails the workflow; anything else fails the task and is retried, not recorded
      const { workflowType, workflowId } = workflowInfo();
      if (err instanceof TemporalFailure && !isCancellation(err) && ORDER_PROCESSES.includes(workflowType as OrderProcess)) {
        await local.recordProcessFailure({ process: workflowType as OrderProcess, workflowId, reason: innermostMessage(err) });
      }
      throw err;
    }
  }
}

/** "Activity task failed" says nothing: the failure's own words are in its innermost cause. */
function innermostMessage(err: Error): string {
  let e: Error = err;
  while ((e instanceof ActivityFailure || e instanceof ChildWorkflowFailure) && e.cause) e = e.cause;
  return e.message || err.message;
}

export const interceptors: WorkflowInterceptorsFactory = () => ({ inbound: [new RecordFailure()] });
