import express, { type Router } from 'express';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import { getAmazonPayOrder, insertAuthorizationOrder, listOutbox } from '../../db/amazon-pay-orders';
import { amazonPayAuthorizationWorkflow } from '../../workflows/amazon-pay-authorization';
import { amazonPayAuthorizationWorkflowId } from '../../workflows/workflow-ids';
import { ORDER_ID, SHOP_ID } from '../../workflows/search-attributes';
import { HttpError } from '../http-error';
import { amazonOrderParams, authorizationBody } from './schemas';
import { createAmazonPayRecurringRoutes } from './recurring-routes';
import type { ApiDeps } from '../app';

/** /shops/:shopId/amazon-pay: start the async-authorization review of an order, and read where it stands. */
export function createAmazonPayRoutes(deps: ApiDeps): Router {
  const router = express.Router({ mergeParams: true });


  router.use('/recurring', createAmazonPayRecurringRoutes(deps));

  router.post('/authorizations', async (req, res) => {
    const { shopId } = req.params as { shopId: string };
    const request = { shopId, ...authorizationBody.parse(req.body) };
    const row = await insertAuthorizationOrder(deps.db, request);
    if (row.chargePermissionId !== request.chargePermissionId || row.amountJpy !== request.amountJpy) {
      throw new HttpError(409, `order ${request.orderId} is already under review with another charge permission or amount`);
    }
    const workflowId = amazonPayAuthorizationWorkflowId(shopId, request.orderId);
    await deps.temporal.workflow.start(amazonPayAuthorizationWorkflow, {
      workflowId, taskQueue: deps.taskQueue, args: [request, {}],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      typedSearchAttributes: [{ key: SHOP_ID, value: shopId }, { key: ORDER_ID, value: request.orderId }],
    });
    res.status(202).json({ workflowId, paymentStatus: row.paymentStatus });
  });

  router.get('/orders/:orderId', async (req, res) => {
    const { shopId, orderId } = amazonOrderParams.parse(req.params);
    const order = await getAmazonPayOrder(deps.db, shopId, orderId);
    if (!order) throw new HttpError(404, `unknown order ${orderId}`);
    res.json({ ...order, workflowId: amazonPayAuthorizationWorkflowId(shopId, orderId), outbox: await listOutbox(deps.db, shopId, orderId) });
  });

  return router;
}
