import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { ZodError } from 'zod';
import { finishBulkAction, nextUnactedOrders, recordOutcomes, type RecordedOutcome } from '../db/bulk-actions';
import { HttpError } from '../api/http-error';
import { EarlierOutcome, performOperatorAction } from '../operators/perform-action';
import type { Actor } from '../operators/roles';
import type { StepOutcome } from '../workflows/bulk-action-messages';

export interface BulkActionActivityDeps {
  db: Pool;
  /** the worker's own client: a bulk step runs the operator action's update like the API does */
  temporal?: { client: Client; taskQueue: string };
}

export interface BulkStep {
  shopId: string;
  bulkId: string;
  orderId: string;
  action: string;
  args: unknown;
  actor: Actor;
}

/** The steps of a bulk action: its orders read from PostgreSQL, each acted on, the outcomes written back. */
export function createBulkActionActivities(deps: BulkActionActivityDeps) {
  return {
    nextBulkOrders: (q: { bulkId: string; afterPosition: number; limit: number }) => nextUnactedOrders(deps.db, q.bulkId, q.afterPosition, q.limit),

    /**
     * One order through the one operator-action path, as the operator who asked. Idempotent per (bulk, order): a
     * retry after a crash sends the same update id, or finds the outcome its audit row recorded.
     */
    async actOnBulkOrder(s: BulkStep): Promise<StepOutcome> {
      // a plain error: retried, so a worker given its Temporal client later picks the bulk action up
      if (!deps.temporal) throw new Error('this worker has no Temporal client for operator actions');
      const actionDeps = { db: deps.db, temporal: deps.temporal.client, taskQueue: deps.temporal.taskQueue };
      const ctx = Context.current();
      const beat = setInterval(() => ctx.heartbeat(), 1000);
      try {
        await performOperatorAction(actionDeps, s.actor, { shopId: s.shopId, orderId: s.orderId, action: s.action, args: s.args, bulkId: s.bulkId });
        return { outcome: 'applied', reason: null };
      } catch (err) {
        const outcome = outcomeOf(err);
        if (outcome) return outcome;
        throw err; // anything else (Temporal or the database out of reach): retried, the step acts once
      } finally {
        clearInterval(beat);
      }
    },

    recordBulkOutcomes: (r: { bulkId: string; outcomes: RecordedOutcome[] }) => recordOutcomes(deps.db, r.bulkId, r.outcomes),

    finishBulkActionRun: (r: { bulkId: string; status: 'completed' | 'canceled' }) => finishBulkAction(deps.db, r.bulkId, r.status),
  };
}

/** The outcome an error means for the order, or undefined when it is worth retrying. */
function outcomeOf(err: unknown): StepOutcome | undefined {
  if (err instanceof EarlierOutcome) {
    // decided in an earlier attempt: the audit row's outcome, a 404 as not found
    return { outcome: err.httpStatus === 404 ? 'not-found' : err.outcome, reason: err.reason };
  }
  if (err instanceof HttpError && err.status === 404) return { outcome: 'not-found', reason: err.message };
  if (err instanceof HttpError && err.status < 500) return { outcome: 'refused', reason: err.message };
  if (err instanceof ZodError) return { outcome: 'refused', reason: err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  return undefined;
}
