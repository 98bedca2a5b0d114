import express, { type Router } from 'express';
import { WorkflowIdConflictPolicy, WorkflowNotFoundError } from '@temporalio/client';
import { getWindow, listWindows } from '../../db/yahoo-orders';
import { listOutbox } from '../../db/amazon-pay-orders';
import { windowStateQuery, type WindowState } from '../../workflows/yahoo-pay-method-window-messages';
import { yahooPayMethodWindowWorkflowId } from '../../workflows/workflow-ids';
import { SHOP_ID } from '../../workflows/search-attributes';
import { getProcessFailure } from '../../db/process-failures';
import { HttpError } from '../http-error';
import { isClosedWorkflowError } from '../operator-action';
import { performOperatorAction } from '../../operators/perform-action';
import { actorOf, requireRole } from '../auth';
import { auditedAs } from '../../operators/audit';
import { yahooManualSweepWorkflowId, yahooWindowSweepWorkflow } from '../../workflows/yahoo-window-sweep';
import { windowListQuery, yahooOrderParams } from './schemas';
import type { ApiDeps } from '../app';

/**
 * /shops/:shopId/yahoo: the payment-method-change windows of オーソリエラー orders (seed 002): read an order's window,
 * list windows by status and deadline, give the operator's decision, and run a sweep now.
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

  /**
   * A sweep now, besides the schedule's (after the buyer says they changed, or in a walkthrough): 202 with the sweep's
   * workflow id. A sweep asked for earlier and still running is answered with that one (started: false), not a twin; a
   * scheduled sweep running at the same time is harmless, a sweep changes nothing the other did.
   */
  router.post('/sweep', requireRole('operator'), async (req, res) => {
    const { shopId } = req.params as { shopId: string };
    const workflowId = yahooManualSweepWorkflowId(shopId);
    const answer = await auditedAs(deps.db, actorOf(res), { shopId, process: 'yahoo', orderId: null, action: 'yahoo.sweep', input: {} }, async () => {
      const running = await deps.temporal.workflow.getHandle(workflowId).describe()
        .then((d) => (d.status.name === 'RUNNING' ? d : undefined))
        .catch((err: unknown) => { if (err instanceof WorkflowNotFoundError) return undefined; throw err; });
      if (running) return { workflowId, runId: running.runId, started: false };
      const handle = await deps.temporal.workflow.start(yahooWindowSweepWorkflow, {
        workflowId, taskQueue: deps.taskQueue, args: [shopId], workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        typedSearchAttributes: [{ key: SHOP_ID, value: shopId }],
      });
      return { workflowId, runId: handle.firstExecutionRunId, started: true };
    });
    res.status(202).json(answer);
  });

  router.post('/orders/:orderId/decision', async (req, res) => {
    const { shopId, orderId } = yahooOrderParams.parse(req.params);
    res.json(await performOperatorAction(deps, actorOf(res), { shopId, orderId, action: 'yahoo.decision', args: req.body }));
  });

  return router;
}
