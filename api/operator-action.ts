import {
  ActivityFailure, ChildWorkflowFailure, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle,
} from '@temporalio/client';
import { HttpError } from './http-error';

/** The order an operator acts on: the workflow that owns it and how to read its status from PostgreSQL. */
export interface ActionTarget {
  workflowId: string;
  /** How answers name it: "order OMS-1", "recurring parent SUB-1". */
  what: string;
  /** The order's status as stored; undefined when renkei never saw the order (the only 404). */
  readStatus(): Promise<string | undefined>;
}

/**
 * Runs one operator action (an update or a signal) on the workflow that owns an order, and answers truly:
 * the workflow's result when it applied or accepted it; 409 with the workflow's own reason when it refused;
 * 409 `finished: <status>` when the process has ended; 404 only for an order renkei never saw.
 */
export async function runOperatorAction<T>(temporal: Client, target: ActionTarget, run: (h: WorkflowHandle) => Promise<T>): Promise<T> {
  const status = await target.readStatus();
  if (status === undefined) throw new HttpError(404, `unknown ${target.what}`);
  try {
    return await run(temporal.workflow.getHandle(target.workflowId));
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw new HttpError(409, refusalReason(err), { status });
    if (isClosedWorkflowError(err)) {
      // the process ended: its final status is what the workflow stored last
      const final = (await target.readStatus()) ?? status;
      throw new HttpError(409, `finished: ${final}`, { status: final });
    }
    throw err;
  }
}

/**
 * The workflow's own words for a refused update: a validator's or handler's error, or, when the handler ran an
 * activity or child that failed, that failure's innermost message rather than "Activity task failed".
 */
export function refusalReason(err: WorkflowUpdateFailedError): string {
  let cause: Error | undefined = err.cause;
  while ((cause instanceof ActivityFailure || cause instanceof ChildWorkflowFailure) && cause.cause) cause = cause.cause;
  return cause?.message || err.message;
}

/** An update, signal or query sent to a workflow that has closed (the server says NOT_FOUND either way). */
export function isClosedWorkflowError(err: unknown): boolean {
  return err instanceof WorkflowNotFoundError || (err instanceof Error && /already completed/i.test(err.message));
}
