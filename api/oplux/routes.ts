import express, { type Router } from 'express';
import { getOpluxOrder, insertOpluxOrder, listOpluxOutbox, type OpluxOrderRow } from '../../db/oplux-orders';
import { opluxFraudReviewWorkflow } from '../../workflows/oplux-fraud-review';
import { FRAUD_STATUS, RELINK_KIND } from '../../workflows/oplux-review-rules';
import { reReportOrderUpdate } from '../../workflows/oplux-fraud-review-messages';
import { createHash } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { refusalReason } from '../operator-action';
import { FRAUD_REVIEW_STATUS, ORDER_ID, SHOP_ID } from '../../workflows/search-attributes';
import { opluxFraudReviewWorkflowId } from '../../workflows/workflow-ids';
import { getProcessFailure } from '../../db/process-failures';
import { HttpError } from '../http-error';
import { performOperatorAction } from '../../operators/perform-action';
import { actorOf } from '../auth';
import { attributes, writeThenStart } from '../pending-starts';
import { opluxOrderParams, orderCompletedBody } from './schemas';
import type { ApiDeps } from '../app';

/**
 * /shops/:shopId/oplux: report a completed order (starts its fraud review), read its review, and the operator's
 * actions: 目視審査 (manual review), O-PLUXブラックフラグ, 手動再連携 (manual re-link).
 */
export function createOpluxRoutes(deps: ApiDeps): Router {
  const router = express.Router({ mergeParams: true });


  router.post('/orders', async (req, res) => {
    const { shopId } = req.params as { shopId: string };
    const order = { shopId, ...orderCompletedBody.parse(req.body) };
    const workflowId = opluxFraudReviewWorkflowId(shopId, order.orderId);
    const before = await getOpluxOrder(deps.db, shopId, order.orderId);
    const { row, outcome } = await writeThenStart(deps, {
      workflowId, shopId, workflowType: opluxFraudReviewWorkflow.name, taskQueue: deps.taskQueue, args: [order, {}],
      conflictPolicy: 'USE_EXISTING', // a repeated report finds the running review
      reusePolicy: 'REJECT_DUPLICATE', // and a finished review is not started again
      searchAttributes: attributes([[SHOP_ID, shopId], [ORDER_ID, order.orderId], [FRAUD_REVIEW_STATUS, FRAUD_STATUS.reviewing]]),
      row: { table: 'oplux', orderId: order.orderId },
    }, { write: () => insertOpluxOrder(deps.db, order), proceed: (row) => canonical(row.order) === canonical(order) });
    if (outcome === null && row.status === FRAUD_STATUS.reviewError && row.relinkKind === RELINK_KIND.register) {
      // stopped at 審査エラー (e.g. O-PLUX refused the data): the corrected report registers again; the same data again
      // is the same update (its id is the data's hash), so a retried report acts once
      const updateId = `re-report:${createHash('sha256').update(canonical(order)).digest('hex').slice(0, 32)}`;
      try {
        const r = await deps.temporal.workflow.getHandle(workflowId).executeUpdate(reReportOrderUpdate, { args: [order], updateId });
        return void res.status(202).json({ workflowId, status: r.status, note: 'registering again with the corrected data' });
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError) throw new HttpError(409, refusalReason(err), { status: row.status });
        throw err;
      }
    }
    if (outcome === null) {
      throw new HttpError(409, `order ${order.orderId} was reported before with other data; its review goes on with the first report`, { status: row.status });
    }
    if (outcome === 'finished-before') return void res.status(200).json({ workflowId, status: row.status, note: 'the fraud review of this order has already finished' });
    if (before) return void res.status(200).json({ workflowId, status: row.status, note: 'this order is already under review: the repeat changes nothing' });
    res.status(202).json({ workflowId, status: row.status });
  });

  router.get('/orders/:orderId', async (req, res) => {
    const { shopId, orderId } = opluxOrderParams.parse(req.params);
    const { order, ...fields } = await orderOr404(shopId, orderId);
    res.json({ ...fields, amountJpy: order.amountJpy, paymentMethodId: order.paymentMethodId, workflowId: opluxFraudReviewWorkflowId(shopId, orderId), failure: await getProcessFailure(deps.db, opluxFraudReviewWorkflowId(shopId, orderId)), outbox: await listOpluxOutbox(deps.db, shopId, orderId) });
  });

  router.post('/orders/:orderId/manual-review', async (req, res) => {
    const { shopId, orderId } = opluxOrderParams.parse(req.params);
    res.status(202).json(await performOperatorAction(deps, actorOf(res), { shopId, orderId, action: 'oplux.manual-review', args: req.body }));
  });

  router.post('/orders/:orderId/black-flag', async (req, res) => {
    const { shopId, orderId } = opluxOrderParams.parse(req.params);
    res.status(202).json(await performOperatorAction(deps, actorOf(res), { shopId, orderId, action: 'oplux.black-flag', args: req.body }));
  });

  router.post('/orders/:orderId/relink', async (req, res) => {
    const { shopId, orderId } = opluxOrderParams.parse(req.params);
    res.status(202).json(await performOperatorAction(deps, actorOf(res), { shopId, orderId, action: 'oplux.relink', args: {} }));
  });

  async function orderOr404(shopId: string, orderId: string): Promise<OpluxOrderRow> {
    const order = await getOpluxOrder(deps.db, shopId, orderId);
    if (!order) throw new HttpError(404, `unknown order ${orderId}`);
    return order;
  }

  return router;
}

/** JSON with object keys sorted (jsonb does not keep the order they came in). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v);
}
