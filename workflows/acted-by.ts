import { log } from '@temporalio/workflow';

/**
 * Who asked for an operator action, sent as the last argument of every operator update so the workflow's history
 * shows who acted. Optional: histories from before it, and tests, send none. Workflow-safe.
 */
export interface ActedBy {
  operator: string;
  operatorId: string;
  /** the bulk action it is part of */
  bulkId?: string;
}

/** The worker's log line of an operator's action, so a log search finds who did what without the history. */
export function actedBy(action: string, by: ActedBy | undefined): void {
  log.info(`operator action: ${action}`, { operator: by?.operator ?? 'unknown', operatorId: by?.operatorId, bulkId: by?.bulkId });
}
