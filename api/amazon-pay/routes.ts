import express, { type Router } from 'express';
import { getAmazonPayOrder, insertAuthorizationOrder, listOutbox, type AmazonPayOrderRow } from '../../db/amazon-pay-orders';
import { amazonPayAuthorizationWorkflow } from '../../workflows/amazon-pay-authorization';
import { amazonPayAuthorizationWorkflowId } from '../../workflows/workflow-ids';
import { AMAZON_PAY_REVIEW_STATUS, ORDER_ID, SHOP_ID } from '../../workflows/search-attributes';
import { getProcessFailure } from '../../db/process-failures';
import { PAYMENT_STATUS } from '../../workflows/amazon-pay-review';
import { HttpError } from '../http-error';
import { attributes, writeThenStart } from '../pending-starts';
import { amazonOrderParams, authorizationBody } from './schemas';
import { createAmazonPayRecurringRoutes } from './recurring-routes';
import { createAmazonPayShipmentRoutes } from './shipment-routes';
import { shopSettings } from '../shops/shop-settings';
import type { ApiDeps } from '../app';

/** /shops/:shopId/amazon-pay: start the async-authorization review of an order, and read where it stands. */
export function createAmazonPayRoutes(deps: ApiDeps): Router {
  const router = express.Router({ mergeParams: true });


  router.use('/recurring', createAmazonPayRecurringRoutes(deps));
  router.use('/orders', createAmazonPayShipmentRoutes(deps)); // POST /orders/:orderId/shipped: capture on shipment

  router.post('/authorizations', async (req, res) => {
    const { shopId } = req.params as { shopId: string };
    const body = authorizationBody.parse(req.body);
    const request = { shopId, ...body, captureOnAuthorization: body.captureOnAuthorization ?? (await shopSettings(deps, shopId, 'amazon-pay')).captureOnAuthorization };
    const workflowId = amazonPayAuthorizationWorkflowId(shopId, request.orderId);
    const same = (row: AmazonPayOrderRow) => row.chargePermissionId === request.chargePermissionId && row.amountJpy === request.amountJpy;
    const before = await getAmazonPayOrder(deps.db, shopId, request.orderId);
    const { row, outcome } = await writeThenStart(deps, {
      workflowId, shopId, workflowType: amazonPayAuthorizationWorkflow.name, taskQueue: deps.taskQueue, args: [request, {}],
      conflictPolicy: 'USE_EXISTING', // a repeat finds the running review
      reusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY', // a failed one is run again once its cause is fixed; a finished one is not
      searchAttributes: attributes([[SHOP_ID, shopId], [ORDER_ID, request.orderId], [AMAZON_PAY_REVIEW_STATUS, PAYMENT_STATUS.reviewing]]),
      row: { table: 'amazon-pay', orderId: request.orderId },
    }, { write: () => insertAuthorizationOrder(deps.db, request), proceed: same });
    if (outcome === null) throw new HttpError(409, `order ${request.orderId} is already under review with another charge permission or amount`);
    if (outcome === 'finished-before') return void res.status(200).json({ workflowId, paymentStatus: row.paymentStatus, note: 'the review of this order has already finished' });
    // a repeat while the review runs changes nothing; a request after a failed review starts it again (202)
    if (before && before.paymentStatus !== PAYMENT_STATUS.failed) return void res.status(200).json({ workflowId, paymentStatus: row.paymentStatus, note: 'this order is already under review: the repeat changes nothing' });
    res.status(202).json({ workflowId, paymentStatus: row.paymentStatus });
  });

  router.get('/orders/:orderId', async (req, res) => {
    const { shopId, orderId } = amazonOrderParams.parse(req.params);
    const order = await getAmazonPayOrder(deps.db, shopId, orderId);
    if (!order) throw new HttpError(404, `unknown order ${orderId}`);
    const workflowId = amazonPayAuthorizationWorkflowId(shopId, orderId);
    res.json({ ...order, workflowId, failure: await getProcessFailure(deps.db, workflowId), outbox: await listOutbox(deps.db, shopId, orderId) });
  });

  return router;
}
