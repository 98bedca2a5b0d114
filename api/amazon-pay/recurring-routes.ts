import express, { type Router } from 'express';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { insertRecurringParent, listRecurringChildren } from '../../db/amazon-pay-recurring';
import { amazonPayRecurringWorkflow } from '../../workflows/amazon-pay-recurring';
import { planRefusal } from '../../workflows/amazon-pay-recurring-plan';
import {
  cancelChildUpdate, changePlanUpdate, childShippedUpdate, closeParentUpdate, recurringStateQuery, skipNextChildUpdate,
} from '../../workflows/amazon-pay-recurring-messages';
import { amazonPayRecurringWorkflowId } from '../../workflows/workflow-ids';
import { ORDER_ID, SHOP_ID } from '../../workflows/search-attributes';
import { HttpError } from '../http-error';
import { childParams, closeBody, parentParams, planChangeBody, recurringBody } from './schemas';
import type { ApiDeps } from '../app';

/** /shops/:shopId/amazon-pay/recurring: create a recurring parent, read it, and the shop's actions on it. */
export function createAmazonPayRecurringRoutes(deps: ApiDeps): Router {
  const router = express.Router({ mergeParams: true });

  router.post('/', async (req, res) => {
    const { shopId } = req.params as { shopId: string };
    const b = recurringBody.parse(req.body);
    const plan = { amountJpy: b.amountJpy, interval: b.interval, firstChargeAt: new Date(b.firstChargeAt).toISOString() };
    const refusal = planRefusal(plan, new Date().toISOString());
    if (refusal) throw new HttpError(422, `plan refused: ${refusal}`);
    const row = await insertRecurringParent(deps.db, {
      shopId, parentOrderId: b.parentOrderId, chargePermissionId: b.chargePermissionId, amountJpy: b.amountJpy,
      intervalUnit: b.interval.unit, intervalValue: b.interval.value,
    });
    // a repeated start is harmless only with the same permission and plan (as an authorization's is)
    if (!row) throw new HttpError(409, `charge permission ${b.chargePermissionId} already backs another recurring parent`);
    if (row.chargePermissionId !== b.chargePermissionId || row.amountJpy !== b.amountJpy || row.intervalUnit !== b.interval.unit || row.intervalValue !== b.interval.value) {
      throw new HttpError(409, `recurring parent ${b.parentOrderId} was started before with another charge permission or plan`, { status: row.status });
    }
    const workflowId = amazonPayRecurringWorkflowId(shopId, b.parentOrderId);
    await deps.temporal.workflow.start(amazonPayRecurringWorkflow, {
      workflowId, taskQueue: deps.taskQueue, workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      args: [{ shopId, parentOrderId: b.parentOrderId, chargePermissionId: b.chargePermissionId, plan, captureNow: b.captureNow, expiryWarningDays: b.expiryWarningDays }],
      typedSearchAttributes: [{ key: SHOP_ID, value: shopId }, { key: ORDER_ID, value: b.parentOrderId }],
    });
    res.status(202).json({ workflowId });
  });

  const handleOf = (p: { shopId: string; parentOrderId: string }) => deps.temporal.workflow.getHandle(amazonPayRecurringWorkflowId(p.shopId, p.parentOrderId));

  /** Runs an operator action; a refusal is 409 with the workflow's reason, an unknown parent 404. */
  async function act<T>(p: { parentOrderId: string }, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) throw new HttpError(409, err.cause?.message ?? err.message);
      if (err instanceof WorkflowNotFoundError) throw new HttpError(404, `unknown recurring parent ${p.parentOrderId}`);
      throw err;
    }
  }

  router.get('/:parentOrderId', async (req, res) => {
    const p = parentParams.parse(req.params);
    const state = await act(p, () => handleOf(p).query(recurringStateQuery));
    res.json({ ...state, children: await listRecurringChildren(deps.db, p.shopId, p.parentOrderId) });
  });
  router.post('/:parentOrderId/skip-next', async (req, res) => {
    const p = parentParams.parse(req.params);
    res.json(await act(p, () => handleOf(p).executeUpdate(skipNextChildUpdate)));
  });
  router.post('/:parentOrderId/plan', async (req, res) => {
    const p = parentParams.parse(req.params);
    const change = planChangeBody.parse(req.body);
    res.json(await act(p, () => handleOf(p).executeUpdate(changePlanUpdate, { args: [change] })));
  });
  router.post('/:parentOrderId/children/:cycle/cancel', async (req, res) => {
    const p = childParams.parse(req.params);
    res.json(await act(p, () => handleOf(p).executeUpdate(cancelChildUpdate, { args: [p.cycle] })));
  });
  router.post('/:parentOrderId/children/:cycle/shipped', async (req, res) => {
    const p = childParams.parse(req.params);
    res.json(await act(p, () => handleOf(p).executeUpdate(childShippedUpdate, { args: [p.cycle] })));
  });
  router.post('/:parentOrderId/close', async (req, res) => {
    const p = parentParams.parse(req.params);
    const { reason } = closeBody.parse(req.body);
    res.json(await act(p, () => handleOf(p).executeUpdate(closeParentUpdate, { args: [reason] })));
  });
  return router;
}
