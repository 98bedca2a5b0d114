import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { defineSearchAttributeKey, WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type SearchAttributePair, type SearchAttributeType } from '@temporalio/common';
import type { Pool } from 'pg';
import { createLogger } from '../common/logger';
import { clearProcessFailure } from '../db/process-failures';
import { clearPendingStart, orderRowExists, recordPendingStart, recordStartError, takeDueStarts, type PendingStart } from '../db/workflow-starts';

const log = createLogger('starts');
/** An owed start whose order row is still missing after this long belongs to a request that never completed. */
const ORPHAN_START_MS = 10 * 60_000;

/** `started`: Temporal has the workflow (new or already running); `finished-before`: its id is closed and not reused. */
export type StartOutcome = 'started' | 'finished-before';

/**
 * The start the API owes is recorded first, then the order's row is written, then the API starts the workflow
 * itself. If Temporal does not answer, the error reaches the caller (503) while the start stays owed: the
 * reconciler makes it, and a caller's retry lands on the same row and the same workflow id, so no row is left
 * without its workflow and nothing is twinned. (Two statements, not one transaction: PGlite's socket server
 * does not keep concurrent connections apart inside a transaction.) `proceed` false: the request is refused
 * after reading the row (a conflicting repeat); only a start this call recorded is taken back.
 */
export async function writeThenStart<R>(
  deps: { db: Pool; temporal: Client },
  start: PendingStart,
  o: { write: () => Promise<R>; proceed?: (row: R) => boolean; replace?: boolean; startDeadlineMs?: number },
): Promise<{ row: R; outcome: StartOutcome | null }> {
  const created = await recordPendingStart(deps.db, start, o.replace ?? false);
  const row = await o.write();
  if (o.proceed && !o.proceed(row)) {
    if (created) await clearPendingStart(deps.db, start.workflowId);
    return { row, outcome: null };
  }
  // startDeadlineMs: a long write (100,000 rows of a shipment import) must not spend the request's Temporal deadline
  const outcome = o.startDeadlineMs === undefined
    ? await startPending(deps.temporal, start)
    : await deps.temporal.withDeadline(Date.now() + o.startDeadlineMs, () => startPending(deps.temporal, start));
  await clearPendingStart(deps.db, start.workflowId);
  if (outcome === 'started') await clearProcessFailure(deps.db, start.workflowId); // a new run (or the running one): no failure stands
  return { row, outcome };
}

/** Starts (or signals-with-start) a recorded start; idempotent by workflow id and its policies. */
export async function startPending(temporal: Client, s: PendingStart): Promise<StartOutcome> {
  const options = {
    workflowId: s.workflowId,
    taskQueue: s.taskQueue,
    args: s.args,
    ...(s.conflictPolicy ? { workflowIdConflictPolicy: WorkflowIdConflictPolicy[s.conflictPolicy] } : {}),
    ...(s.reusePolicy ? { workflowIdReusePolicy: WorkflowIdReusePolicy[s.reusePolicy] } : {}),
    typedSearchAttributes: s.searchAttributes.map((a) => ({
      key: defineSearchAttributeKey(a.name, a.type as SearchAttributeType), value: a.type === 'DATETIME' ? new Date(a.value) : a.value, // stored as JSON: a date is its ISO string
    })) as SearchAttributePair[],
  };
  try {
    if (s.signal) await temporal.workflow.signalWithStart(s.workflowType, { ...options, signal: s.signal.name, signalArgs: s.signal.args });
    else await temporal.workflow.start(s.workflowType, options);
    return 'started';
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return 'finished-before';
    throw err;
  }
}

/** The search attributes of a start, from the keys workflows/search-attributes.ts defines. */
export function attributes(pairs: Array<[{ name: string; type: string }, string]>): PendingStart['searchAttributes'] {
  return pairs.map(([key, value]) => ({ name: key.name, type: key.type, value }));
}

/**
 * Makes every start still owed after `graceMs` (the API's own attempt failed or never ran), every `everyMs`, until
 * stopped. Safe with several API processes: each due row is taken by one, and a start is idempotent anyway.
 */
export function runStartReconciler(deps: { db: Pool; temporal: Client }, o: { everyMs?: number; graceMs?: number; deadlineMs?: number } = {}): { stop(): Promise<void>; sweep(): Promise<number> } {
  const everyMs = o.everyMs ?? 2_000;
  const graceMs = o.graceMs ?? 5_000;
  const deadlineMs = o.deadlineMs ?? 5_000;
  let stopped = false;
  let running: Promise<number> = Promise.resolve(0);

  async function sweep(): Promise<number> {
    let started = 0;
    for (const { start, ageMs } of await takeDueStarts(deps.db, graceMs)) {
      try {
        if (!(await orderRowExists(deps.db, start))) {
          // the API died between the two writes (or is still between them): the caller never had an answer
          if (ageMs > ORPHAN_START_MS) {
            await clearPendingStart(deps.db, start.workflowId);
            log.warn('owed start dropped: its order was never stored', { workflowId: start.workflowId });
          }
          continue;
        }
        const outcome = await deps.temporal.withDeadline(Date.now() + deadlineMs, () => startPending(deps.temporal, start));
        await clearPendingStart(deps.db, start.workflowId);
        started += 1;
        log.info('owed workflow started', { workflowId: start.workflowId, outcome });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        await recordStartError(deps.db, start.workflowId, message);
        log.warn('owed workflow not started yet', { workflowId: start.workflowId, error: message });
      }
    }
    return started;
  }

  const timer = setInterval(() => {
    if (stopped) return;
    running = running.then(sweep).catch((err: unknown) => {
      log.warn('start reconciler sweep failed', { error: err instanceof Error ? err.message : String(err) });
      return 0;
    });
  }, everyMs);
  timer.unref();
  return {
    sweep: () => (running = running.then(sweep)),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running.catch(() => undefined);
    },
  };
}
