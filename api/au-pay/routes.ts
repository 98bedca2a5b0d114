import express, { type Router } from 'express';
import { getAuPayOrder, listCallHistory } from '../../db/au-pay-orders';
import { completionReportedSignal, linkStateQuery } from '../../workflows/au-pay-shipment-messages';
import { auPayShipmentWorkflowId } from '../../workflows/workflow-ids';
import { reportAuPayShipment } from './report-shipment';
import { getProcessFailure } from '../../db/process-failures';
import { HttpError } from '../http-error';
import { performOperatorAction } from '../../operators/perform-action';
import { actorOf } from '../auth';
import { runOperatorAction } from '../operator-action';
import { completedBody, historyQuery, orderParams, shipmentReportBody } from './schemas';
import type { ApiDeps } from '../app';

/** /shops/:shopId/au-pay: report a shipment or a completion, read an order and its call history, reset a link status. */
export function createAuPayRoutes(deps: ApiDeps): Router {
  const router = express.Router({ mergeParams: true });


  // The OMS reports a shipment (reportAuPayShipment: the one way a shipment reaches the au PAY chain). The answer says
  // whether a push will happen and why: 202 when the chain acts on it, 200 when not.
  router.post('/shipments', async (req, res) => {
    const { shopId } = req.params as { shopId: string };
    const { status, body } = await reportAuPayShipment(deps, { shopId, ...shipmentReportBody.parse(req.body) });
    res.status(status).json(body);
  });

  router.get('/orders/:orderId', async (req, res) => {
    const { shopId, orderId } = orderParams.parse(req.params);
    const order = await getAuPayOrder(deps.db, shopId, orderId);
    if (!order) throw new HttpError(404, `unknown order ${orderId}`);
    const history = await listCallHistory(deps.db, { shopId, orderId, limit: 50 });
    const workflowId = auPayShipmentWorkflowId(shopId, orderId);
    res.json({ ...order, workflowId, failure: await getProcessFailure(deps.db, workflowId), history });
  });

  router.get('/history', async (req, res) => {
    const { shopId } = req.params as { shopId: string };
    const q = historyQuery.parse(req.query);
    res.json({ entries: await listCallHistory(deps.db, { shopId, ...q }) });
  });

  // The operator's manual status change (seed 004 section 6), as a Temporal update the workflow validates.
  router.post('/orders/:orderId/link-status', async (req, res) => {
    const { shopId, orderId } = orderParams.parse(req.params);
    res.json(await performOperatorAction(deps, actorOf(res), { shopId, orderId, action: 'au-pay.link-status', args: req.body }));
  });

  // The OMS reports the order completed (its report, so the operator role, like a shipment report). With the shop's
  // completionTiming 'oms-report' this is what lets the chain push 完了; otherwise it is kept, and harmless. A signal:
  // the chain decides with the settings whether and when to push. 404 for an order renkei never saw, 409 once the
  // chain has ended.
  router.post('/orders/:orderId/completed', async (req, res) => {
    const { shopId, orderId } = orderParams.parse(req.params);
    completedBody.parse(req.body ?? {});
    const workflowId = auPayShipmentWorkflowId(shopId, orderId);
    const target = { workflowId, what: `order ${orderId}`, readStatus: async () => (await getAuPayOrder(deps.db, shopId, orderId))?.linkStatus };
    const { reportedBefore, status } = await runOperatorAction(deps.temporal, target, async (handle) => {
      const state = await handle.query(linkStateQuery); // read first: a repeated report answers 200, not 202
      await handle.signal(completionReportedSignal); // a chain that has ended answers "completed": 409 finished
      return { reportedBefore: state.completionReported === true, status: state.status };
    });
    if (reportedBefore) return void res.status(200).json({ workflowId, linkStatus: status, note: 'the OMS had already reported this order completed' });
    res.status(202).json({ workflowId, linkStatus: status });
  });

  return router;
}
