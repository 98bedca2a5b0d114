import { createHash, randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { createBulkAction, getBulkAction, type BulkActionRow } from '../../db/bulk-actions';
import { auditedAs } from '../../operators/audit';
import type { Actor } from '../../operators/roles';
import { bulkActionWorkflow } from '../../workflows/bulk-action';
import { SHOP_ID } from '../../workflows/search-attributes';
import { bulkActionWorkflowId } from '../../workflows/workflow-ids';
import { HttpError } from '../http-error';
import { attributes, writeThenStart } from '../pending-starts';

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
 * Writes the bulk action with all its order ids and starts its workflow, the way every start is made
 * (writeThenStart: the start is owed before the row, so the start reconciler makes it if the API dies in between).
 * A repeat with the same Idempotency-Key finds the same id: the same bulk action, never a twin; with another request
 * it is a 409. `created` false: that repeat.
 */
export async function createBulkActionRun(deps: Deps, actor: Actor, r: BulkRequest): Promise<{ id: string; total: number; created: boolean }> {
  const requestHash = createHash('sha256').update(JSON.stringify([r.action, r.args, r.orderIds])).digest('hex');
  const id = r.idempotencyKey
    ? createHash('sha256').update(`${r.shopId}\0${r.idempotencyKey}`).digest('hex').slice(0, 32)
    : randomBytes(16).toString('hex');
  const earlier = r.idempotencyKey ? await getBulkAction(deps.db, r.shopId, id) : undefined;
  let created = false;
  const write = async (): Promise<BulkActionRow> => {
    created = await createBulkAction(deps.db, { id, shopId: r.shopId, action: r.action, args: r.args, actor, idempotencyKey: r.idempotencyKey ?? null, requestHash, orderIds: r.orderIds });
    return (await getBulkAction(deps.db, r.shopId, id))!;
  };
  const start = () => writeThenStart(deps, {
    workflowId: bulkActionWorkflowId(r.shopId, id), shopId: r.shopId, workflowType: bulkActionWorkflow.name, taskQueue: deps.taskQueue,
    args: [{ shopId: r.shopId, bulkId: id, action: r.action, args: r.args, actor }],
    conflictPolicy: 'USE_EXISTING', reusePolicy: 'REJECT_DUPLICATE', // a repeat finds the running one, never runs a finished one again
    searchAttributes: attributes([[SHOP_ID, r.shopId]]),
    row: { table: 'bulk-action', orderId: id },
  }, { write, proceed: (row) => row.requestHash === requestHash });
  // a repeat is not a new change: only a bulk action written now is audited as created
  const { row, outcome } = earlier
    ? await start()
    : await auditedAs(deps.db, actor, { shopId: r.shopId, process: null, orderId: null, action: 'bulk-action.create', input: { action: r.action, args: r.args, total: r.orderIds.length }, bulkId: id }, start);
  if (outcome === null) throw new HttpError(409, 'this Idempotency-Key was used for another bulk action request', { id });
  return { id, total: row.total, created };
}
