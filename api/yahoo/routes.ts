import express, { type Router } from 'express';
import { getWindow, listWindows } from '../../db/yahoo-orders';
import { listOutbox } from '../../db/amazon-pay-orders';
import { windowStateQuery, type WindowState } from '../../workflows/yahoo-pay-method-window-messages';
import { yahooPayMethodWindowWorkflowId } from '../../workflows/workflow-ids';
import { getProcessFailure } from '../../db/process-failures';
import { HttpError } from '../http-error';
import { isClosedWorkflowError } from '../operator-action';
import { performOperatorAction } from '../../operators/perform-action';
import { actorOf } from '../auth';
import { windowListQuery, yahooOrderParams } from './schemas';
import type { ApiDeps } from '../app';

/**
 * /shops/:shopId/yahoo: the payment-method-change windows of オーソリエラー orders (seed 002): read an order's window,
 * list windows by status and deadline, and give the operator's decision.
 */
export function createYahooRoutes(deps: ApiDeps): Router {
  const router = express.Router({ mergeParams: true });


  router.get('/windows', async (req, res) => {
    const { shopId } = req.params as { shopId: string };
    const q = windowListQuery.parse(req.query);
    res.json({ windows: await listWindows(deps.db, shopId, q.status, q.limit) });
  });

  router.get('/orders/:orderId', async (req, res) => {
    const { shopId, orderId } = yahooOrderParams.parse(req.params);
    const window = await getWindow(deps.db, shopId, orderId);
    if (!window) throw new HttpError(404, `unknown order ${orderId}: no payment-method-change window`);
    const workflowId = yahooPayMethodWindowWorkflowId(shopId, orderId);
    // the running workflow's view adds what is pending (a decision) and its checks; a closed one has nothing more
    const live: WindowState | null = await deps.temporal.workflow.getHandle(workflowId).query(windowStateQuery)
      .catch((err: unknown) => { if (isClosedWorkflowError(err)) return null; throw err; });
    res.json({
      ...window, workflowId, failure: await getProcessFailure(deps.db, workflowId), pendingDecision: live?.pending ?? null, checks: live?.checks ?? null,
      outbox: await listOutbox(deps.db, shopId, orderId),
    });
  });

  router.post('/orders/:orderId/decision', async (req, res) => {
    const { shopId, orderId } = yahooOrderParams.parse(req.params);
    res.json(await performOperatorAction(deps, actorOf(res), { shopId, orderId, action: 'yahoo.decision', args: req.body }));
  });

  return router;
}
