import express, { type Router } from 'express';
import { getAuPayOrder, listCallHistory, upsertShipmentReport } from '../../db/au-pay-orders';
import { auPayShipmentWorkflow } from '../../workflows/au-pay-shipment';
import { completionReportedSignal, linkStateQuery, shipmentReportedSignal } from '../../workflows/au-pay-shipment-messages';
import { AU_PAY_LINK_STATUS, ORDER_ID, SHOP_ID } from '../../workflows/search-attributes';
import { auPayShipmentWorkflowId } from '../../workflows/workflow-ids';
import { LINK_STATUS } from '../../workflows/au-pay-link-status';
import { reportPlan } from './report-plan';
import { getProcessFailure } from '../../db/process-failures';
import { HttpError } from '../http-error';
import { performOperatorAction } from '../../operators/perform-action';
import { actorOf } from '../auth';
import { runOperatorAction } from '../operator-action';
import { attributes, writeThenStart } from '../pending-starts';
import { completedBody, historyQuery, orderParams, shipmentReportBody } from './schemas';
import type { ApiDeps } from '../app';

/** /shops/:shopId/au-pay: report a shipment or a completion, read an order and its call history, reset a link status. */
export function createAuPayRoutes(deps: ApiDeps): Router {
  const router = express.Router({ mergeParams: true });


  // The OMS reports a shipment. The stored order decides (reportPlan): a first report or a running chain: store it
  // and owe the chain's start in one step, then start the chain or hand the data to the running one; an order whose
  // chain ended (対象外 that now meets the condition, a correction after completion): a new run of the same id; else
  // only stored. The answer says whether a push will happen and why: 202 when the chain acts on it, 200 when not.
  router.post('/shipments', async (req, res) => {
    const { shopId } = req.params as { shopId: string };
    const report = { shopId, ...shipmentReportBody.parse(req.body) };
    const workflowId = auPayShipmentWorkflowId(shopId, report.orderId);
    const before = await getAuPayOrder(deps.db, shopId, report.orderId);
    let plan = reportPlan(before, report);
    for (let tries = 0; ; tries += 1) {
      if (plan.kind === 'store') {
        const row = await upsertShipmentReport(deps.db, report);
        return void res.status(200).json({ workflowId, linkStatus: row.linkStatus, push: false, reason: plan.reason, note: plan.reason });
      }
      const reopen = plan.kind === 'reopen';
      const { row, outcome } = await writeThenStart(deps, {
        workflowId, shopId, workflowType: auPayShipmentWorkflow.name, taskQueue: deps.taskQueue,
        args: plan.kind === 'reopen' ? [report, plan.resume] : [report], signal: { name: shipmentReportedSignal.name, args: [report] },
        // a chain runs once per order, except the new run a reopened order gets once its run has ended
        reusePolicy: reopen ? 'ALLOW_DUPLICATE' : 'REJECT_DUPLICATE',
        searchAttributes: attributes([[SHOP_ID, shopId], [ORDER_ID, report.orderId], [AU_PAY_LINK_STATUS, LINK_STATUS.blank]]),
        row: { table: 'au-pay', orderId: report.orderId },
      }, { write: () => upsertShipmentReport(deps.db, report), replace: true }); // the latest report wins, in the row and the start
      if (outcome === 'finished-before' && tries === 0) {
        // the chain ended between the read and the start: decide again with the status it left
        const after = await getAuPayOrder(deps.db, shopId, report.orderId);
        plan = reportPlan(after && { ...(before ?? after), linkStatus: after.linkStatus }, report);
        continue;
      }
      const finished = 'the chain for this order has already finished';
      if (outcome === 'finished-before') return void res.status(200).json({ workflowId, linkStatus: row.linkStatus, push: false, reason: finished, note: finished });
      const acts = plan.push || plan.kind !== 'signal' || !before; // a new chain acts even on an order it marks 対象外
      // `note` (as before {push, reason}) on the answers where nothing will happen
      return void res.status(acts ? 202 : 200).json({ workflowId, linkStatus: row.linkStatus, push: plan.push, reason: plan.reason, ...(acts ? {} : { note: plan.reason }) });
    }
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
