import express, { type Router } from 'express';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { finishBulkAction, getBulkAction, listBulkActions, listBulkOrders, type BulkActionRow } from '../../db/bulk-actions';
import { auditedAs } from '../../operators/audit';
import { cancelBulkActionUpdate } from '../../workflows/bulk-action-messages';
import { bulkActionWorkflowId } from '../../workflows/workflow-ids';
import { actorOf } from '../auth';
import { HttpError } from '../http-error';
import { isClosedWorkflowError } from '../operator-action';
import type { ApiDeps } from '../app';
import { actionNamed, BULK_ID, bulkBody, checkedArgs, decodeListCursor, encodeListCursor, idempotencyKey, listQuery, ordersQuery } from './schemas';
import { createBulkActionRun } from './start';

/** /shops/:shopId/bulk-actions: one operator action on up to 10,000 orders, its progress, and its cancel. */
export function createBulkActionRoutes(deps: ApiDeps): Router {
  const router = express.Router({ mergeParams: true });
  const shopOf = (params: unknown) => (params as { shopId: string }).shopId;

  /** The shop's bulk action, or 404 (another shop's id, or no id at all). */
  async function bulkOf(shopId: string, id: string): Promise<BulkActionRow> {
    const b = BULK_ID.test(id) ? await getBulkAction(deps.db, shopId, id) : undefined;
    if (!b) throw new HttpError(404, `unknown bulk action ${BULK_ID.test(id) ? id : ''}`.trim());
    return b;
  }

  router.post('/', async (req, res) => {
    const body = bulkBody.parse(req.body);
    const args = checkedArgs(actionNamed(body.action), body.args);
    const key = idempotencyKey.parse(req.get('idempotency-key'));
    const run = await createBulkActionRun(deps, actorOf(res), { shopId: shopOf(req.params), action: body.action, args, orderIds: body.orderIds, idempotencyKey: key });
    res.status(run.created ? 202 : 200).json({ id: run.id, total: run.total });
  });

  router.get('/', async (req, res) => {
    const q = listQuery.parse(req.query);
    const rows = await listBulkActions(deps.db, shopOf(req.params), { limit: q.limit, before: q.cursor ? decodeListCursor(q.cursor) : undefined });
    const last = rows.at(-1);
    res.json({ bulkActions: rows.map(summary), nextCursor: rows.length === q.limit && last ? encodeListCursor({ createdAt: new Date(last.createdAt).toISOString(), id: last.id }) : null });
  });

  router.get('/:id', async (req, res) => {
    const b = await bulkOf(shopOf(req.params), req.params.id);
    const q = ordersQuery.parse(req.query);
    const orders = await listBulkOrders(deps.db, b.id, { afterPosition: Number(q.cursor ?? 0), limit: q.limit, outcome: q.outcome });
    res.json({
      ...summary(b),
      orders: orders.map((o) => ({ orderId: o.orderId, outcome: o.outcome, reason: o.reason })),
      nextCursor: orders.length === q.limit ? String(orders.at(-1)!.position) : null,
    });
  });

  // The orders not yet acted on are not acted on; those in flight finish. Answers once they are all marked.
  router.post('/:id/cancel', async (req, res) => {
    const shopId = shopOf(req.params);
    const b = await bulkOf(shopId, req.params.id);
    const finished = (status: string) => new HttpError(409, `bulk action ${b.id} is ${status}`, { status });
    if (b.status !== 'running') throw finished(b.status);
    await auditedAs(deps.db, actorOf(res), { shopId, process: null, orderId: null, action: 'bulk-action.cancel', input: null, bulkId: b.id }, async () => {
      try {
        await deps.temporal.workflow.getHandle(bulkActionWorkflowId(shopId, b.id)).executeUpdate(cancelBulkActionUpdate);
      } catch (err) {
        if (!(err instanceof WorkflowUpdateFailedError) && !isClosedWorkflowError(err)) throw err;
        const status = (await getBulkAction(deps.db, shopId, b.id))?.status ?? b.status;
        // still running with no workflow: its start is owed (the API died before it); when made, it finds nothing left to do
        if (status === 'running' && err instanceof WorkflowNotFoundError) return finishBulkAction(deps.db, b.id, 'canceled');
        throw finished(status); // it finished meanwhile (or is finishing): its status, as stored
      }
    });
    res.json(summary(await bulkOf(shopId, b.id)));
  });

  return router;
}

/** A bulk action as the API shows it (no request hash, no actor's shops). */
function summary(b: BulkActionRow) {
  return {
    id: b.id, action: b.action, args: b.args, operator: b.operator, status: b.status,
    total: b.total, done: b.done, applied: b.applied, refused: b.refused, notFound: b.notFound, failed: b.failed, canceled: b.canceled,
    createdAt: b.createdAt, finishedAt: b.finishedAt,
  };
}
