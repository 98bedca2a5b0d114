import express, { type Router } from 'express';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import { getAmazonPayOrder } from '../../db/amazon-pay-orders';
import { orderCaptureWorkflow } from '../../workflows/order-capture';
import { orderCaptureWorkflowId } from '../../workflows/workflow-ids';
import { ORDER_ID, SHOP_ID } from '../../workflows/search-attributes';
import { PAYMENT_STATUS } from '../../workflows/amazon-pay-review';
import { HttpError } from '../http-error';
import { amazonOrderParams, shippedBody } from './schemas';
import type { ApiDeps } from '../app';

/**
 * /shops/:shopId/amazon-pay/orders/:orderId/shipped: an ordinary (not recurring) order shipped, and the shop does not
 * capture on authorization, so its charge is captured now (through the payment provider interface) and followed until
 * Captured or Declined. Captured already: 200, nothing happens; not (yet) capturable: 409 with the reason.
 */
export function createAmazonPayShipmentRoutes(deps: ApiDeps): Router {
  const router = express.Router({ mergeParams: true });

  router.post('/:orderId/shipped', async (req, res) => {
    const { shopId, orderId } = amazonOrderParams.parse(req.params);
    const body = shippedBody.parse(req.body ?? {});
    const order = await getAmazonPayOrder(deps.db, shopId, orderId);
    if (!order) throw new HttpError(404, `unknown order ${orderId}`);
    const workflowId = orderCaptureWorkflowId(shopId, orderId);
    if (order.creditStatus === 'Captured') return void res.status(200).json({ workflowId, creditStatus: order.creditStatus, note: 'the charge is already captured' });
    if (order.paymentStatus !== PAYMENT_STATUS.reviewed || !order.chargeId) {
      throw new HttpError(409, `order ${orderId} cannot be captured: its review has not ended with a charge (${order.paymentStatus})`);
    }
    if (order.creditStatus !== 'Authorized' && order.creditStatus !== 'CaptureInitiated') {
      throw new HttpError(409, `order ${orderId} cannot be captured: its charge is ${order.creditStatus}`);
    }
    if (body.amountJpy !== undefined && body.amountJpy > order.amountJpy) {
      const reason = `at most the ¥${order.amountJpy} authorized`;
      throw new HttpError(400, `amountJpy: ${reason}`, { issues: [{ field: 'amountJpy', reason }] });
    }
    await deps.temporal.workflow.start(orderCaptureWorkflow, {
      workflowId, taskQueue: deps.taskQueue, workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      args: [{ shopId, orderId, provider: 'amazon-pay', ref: order.chargeId, ...body }],
      typedSearchAttributes: [{ key: SHOP_ID, value: shopId }, { key: ORDER_ID, value: orderId }],
    });
    res.status(202).json({ workflowId, creditStatus: order.creditStatus });
  });

  return router;
}
