import { createHash, randomBytes } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { Pool } from 'pg';
import { createBulkAction, getBulkAction, markBulkStarted, owedBulkStarts, type BulkActionRow } from '../../db/bulk-actions';
import { auditedAs } from '../../operators/audit';
import type { Actor } from '../../operators/roles';
import { bulkActionWorkflow } from '../../workflows/bulk-action';
import { bulkActionWorkflowId } from '../../workflows/workflow-ids';
import { HttpError } from '../http-error';

interface Deps {
  db: Pool;
  temporal: Client;
  taskQueue: string;
}

export interface BulkRequest {
  shopId: string;
  action: string;
  args: unknown;
  orderIds: string[];
  idempotencyKey?: string;
}

/**
 * Writes the bulk action with all its order ids, then starts its workflow under an id derived from the bulk id. A
 * repeat with the same Idempotency-Key finds the same id: the same bulk action (started now if the first attempt died
 * before its start), never a twin. `created` false: that repeat.
 */
export async function createBulkActionRun(deps: Deps, actor: Actor, r: BulkRequest): Promise<{ id: string; total: number; created: boolean }> {
  const requestHash = createHash('sha256').update(JSON.stringify([r.action, r.args, r.orderIds])).digest('hex');
  const id = r.idempotencyKey
    ? createHash('sha256').update(`${r.shopId}\0${r.idempotencyKey}`).digest('hex').slice(0, 32)
    : randomBytes(16).toString('hex');
  const repeat = async (): Promise<{ id: string; total: number; created: boolean } | undefined> => {
    const earlier = await getBulkAction(deps.db, r.shopId, id);
    if (!earlier) return undefined;
    if (earlier.requestHash !== requestHash) throw new HttpError(409, 'this Idempotency-Key was used for another bulk action request', { id });
    if (!earlier.startedAt) await startBulkWorkflow(deps, earlier);
    return { id, total: earlier.total, created: false };
  };
  if (r.idempotencyKey) {
    const earlier = await repeat();
    if (earlier) return earlier;
  }
  const input = { action: r.action, args: r.args, total: r.orderIds.length };
  const created = await auditedAs(deps.db, actor, { shopId: r.shopId, process: null, orderId: null, action: 'bulk-action.create', input, bulkId: id }, async () => {
    if (!(await createBulkAction(deps.db, { id, shopId: r.shopId, action: r.action, args: r.args, actor, idempotencyKey: r.idempotencyKey ?? null, requestHash, orderIds: r.orderIds }))) return false;
    await startBulkWorkflow(deps, { id, shopId: r.shopId, action: r.action, args: r.args, actor });
    return true;
  });
  if (created) return { id, total: r.orderIds.length, created: true };
  return (await repeat())!; // the same key at the same moment: the other request wrote it
}

/** Starts a written bulk action's workflow; one already started (or finished) under its id is left as it is. */
export async function startBulkWorkflow(deps: Deps, b: Pick<BulkActionRow, 'id' | 'shopId' | 'action' | 'args' | 'actor'>): Promise<void> {
  try {
    await deps.temporal.workflow.start(bulkActionWorkflow, {
      workflowId: bulkActionWorkflowId(b.shopId, b.id), taskQueue: deps.taskQueue,
      args: [{ shopId: b.shopId, bulkId: b.id, action: b.action, args: b.args, actor: b.actor }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  await markBulkStarted(deps.db, b.id);
}

/**
 * Starts the bulk actions whose API died between writing them and starting their workflow (none is lost: its rows are
 * there). For a periodic sweep beside the start reconciler; returns how many it started.
 */
export async function startOwedBulkActions(deps: Deps, graceMs = 10_000): Promise<number> {
  let started = 0;
  for (const { shopId, id } of await owedBulkStarts(deps.db, graceMs)) {
    const b = await getBulkAction(deps.db, shopId, id);
    if (b) await startBulkWorkflow(deps, b);
    started += 1;
  }
  return started;
}
