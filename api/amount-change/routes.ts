import express, { type Router } from 'express';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import { listAmountChanges } from '../../db/amount-change';
import { orderAmountChangeWorkflow } from '../../workflows/order-amount-change';
import { orderAmountChangeWorkflowId } from '../../workflows/workflow-ids';
import { AMOUNT_CHANGE_RUNNING, AMOUNT_CHANGE_STATUS, ORDER_ID, SHOP_ID } from '../../workflows/search-attributes';
import { amountChangeBody, amountChangeParams } from './schemas';
import type { ApiDeps } from '../app';

/**
 * /shops/:shopId/amount-changes: an order's amount changed after authorization. The change goes to the payment
 * provider per the payment method's 金額変更API連携フラグ; the order keeps every change and its outcome.
 */
export function createAmountChangeRoutes(deps: ApiDeps): Router {
  const router = express.Router({ mergeParams: true });

  router.post('/', async (req, res) => {
    const { shopId } = req.params as { shopId: string };
    const body = amountChangeBody.parse(req.body ?? {});
    const workflowId = orderAmountChangeWorkflowId(shopId, body.orderId, body.amountJpy);
    await deps.temporal.workflow.start(orderAmountChangeWorkflow, {
      workflowId, taskQueue: deps.taskQueue, args: [{ shopId, ...body }], workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      typedSearchAttributes: [{ key: SHOP_ID, value: shopId }, { key: ORDER_ID, value: body.orderId }, { key: AMOUNT_CHANGE_STATUS, value: AMOUNT_CHANGE_RUNNING }],
    });
    res.status(202).json({ workflowId });
  });

  router.get('/:orderId', async (req, res) => {
    const { shopId, orderId } = amountChangeParams.parse(req.params);
    res.json({ orderId, changes: await listAmountChanges(deps.db, shopId, orderId) });
  });
  return router;
}
