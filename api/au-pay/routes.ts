import express, { type Router } from 'express';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { getAuPayOrder, listCallHistory, upsertShipmentReport } from '../../db/au-pay-orders';
import { auPayShipmentWorkflow } from '../../workflows/au-pay-shipment';
import { resetLinkStatusUpdate, shipmentReportedSignal } from '../../workflows/au-pay-shipment-messages';
import { AU_PAY_LINK_STATUS, ORDER_ID, SHOP_ID } from '../../workflows/search-attributes';
import { auPayShipmentWorkflowId } from '../../workflows/workflow-ids';
import { LINK_STATUS } from '../../workflows/au-pay-link-status';
import { HttpError } from '../http-error';
import { runOperatorAction } from '../operator-action';
import { historyQuery, orderParams, resetBody, shipmentReportBody } from './schemas';
import type { ApiDeps } from '../app';

/** /shops/:shopId/au-pay: report a shipment, read an order and its call history, reset a link status. */
export function createAuPayRoutes(deps: ApiDeps): Router {
  const router = express.Router({ mergeParams: true });


  // The OMS reports a shipment: store it, then start the chain, or hand the (maybe corrected) data to the running one.
  router.post('/shipments', async (req, res) => {
    const { shopId } = req.params as { shopId: string };
    const report = { shopId, ...shipmentReportBody.parse(req.body) };
    const row = await upsertShipmentReport(deps.db, report);
    const workflowId = auPayShipmentWorkflowId(shopId, report.orderId);
    try {
      await deps.temporal.workflow.signalWithStart(auPayShipmentWorkflow, {
        workflowId,
        taskQueue: deps.taskQueue,
        args: [report],
        signal: shipmentReportedSignal,
        signalArgs: [report],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        typedSearchAttributes: [
          { key: SHOP_ID, value: shopId },
          { key: ORDER_ID, value: report.orderId },
          { key: AU_PAY_LINK_STATUS, value: LINK_STATUS.blank },
        ],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      res.status(200).json({ workflowId, linkStatus: row.linkStatus, note: 'the chain for this order has already finished' });
      return;
    }
    res.status(202).json({ workflowId, linkStatus: row.linkStatus });
  });

  router.get('/orders/:orderId', async (req, res) => {
    const { shopId, orderId } = orderParams.parse(req.params);
    const order = await getAuPayOrder(deps.db, shopId, orderId);
    if (!order) throw new HttpError(404, `unknown order ${orderId}`);
    const history = await listCallHistory(deps.db, { shopId, orderId, limit: 50 });
    res.json({ ...order, workflowId: auPayShipmentWorkflowId(shopId, orderId), history });
  });

  router.get('/history', async (req, res) => {
    const { shopId } = req.params as { shopId: string };
    const q = historyQuery.parse(req.query);
    res.json({ entries: await listCallHistory(deps.db, { shopId, ...q }) });
  });

  // The operator's manual status change (seed 004 section 6), as a Temporal update the workflow validates.
  router.post('/orders/:orderId/link-status', async (req, res) => {
    const { shopId, orderId } = orderParams.parse(req.params);
    const { status } = resetBody.parse(req.body);
    res.json(await runOperatorAction(deps.temporal, {
      workflowId: auPayShipmentWorkflowId(shopId, orderId), what: `order ${orderId}`,
      readStatus: async () => (await getAuPayOrder(deps.db, shopId, orderId))?.linkStatus,
    }, (h) => h.executeUpdate(resetLinkStatusUpdate, { args: [status] })));
  });

  return router;
}
