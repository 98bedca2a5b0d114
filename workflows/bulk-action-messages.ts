import { defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../operators/roles';

/** What a bulk-action workflow is started with; `position` is where a continued run picks up. */
export interface BulkActionInput {
  shopId: string;
  bulkId: string;
  action: string;
  args: unknown;
  /** who asked: each order's action is attributed to them (no secret: id, name, role, shops) */
  actor: Actor;
  /** every order up to this position has its outcome recorded (earlier runs) */
  position?: number;
}

/** One order's outcome as the step reports it. */
export interface StepOutcome {
  outcome: 'applied' | 'refused' | 'not-found' | 'failed';
  reason: string | null;
}

export interface BulkActionResult {
  status: 'completed' | 'canceled';
}

/**
 * Stops the orders not yet acted on (orders in flight finish); answers once they are all marked canceled. Refused when
 * the bulk action is already finishing.
 */
export const cancelBulkActionUpdate = defineUpdate<BulkActionResult, []>('cancelBulkAction');
