import express, { type Response, type Router } from 'express';
import { getRecurringParent, insertRecurringParent, listRecurringChildren, type RecurringParentRow } from '../../db/amazon-pay-recurring';
import { amazonPayRecurringWorkflow } from '../../workflows/amazon-pay-recurring';
import { planRefusal } from '../../workflows/amazon-pay-recurring-plan';
import { recurringStateQuery } from '../../workflows/amazon-pay-recurring-messages';
import { amazonPayRecurringWorkflowId } from '../../workflows/workflow-ids';
import { ORDER_ID, RECURRING_NEXT_CHARGE_AT, RECURRING_STATUS, SHOP_ID } from '../../workflows/search-attributes';
import { getProcessFailure } from '../../db/process-failures';
import { HttpError } from '../http-error';
import { isClosedWorkflowError } from '../operator-action';
import { performOperatorAction } from '../../operators/perform-action';
import type { OperatorActionName } from '../../operators/action-catalog';
import { actorOf } from '../auth';
import { attributes, writeThenStart } from '../pending-starts';
import { childParams, parentParams, recurringBody } from './schemas';
import { shopSettings } from '../shops/shop-settings';
import type { ApiDeps } from '../app';

/** /shops/:shopId/amazon-pay/recurring: create a recurring parent, read it, and the shop's actions on it. */
export function createAmazonPayRecurringRoutes(deps: ApiDeps): Router {
  const router = express.Router({ mergeParams: true });

  router.post('/', async (req, res) => {
    const { shopId } = req.params as { shopId: string };
    const body = recurringBody.parse(req.body);
    const b = { ...body, expiryWarningDays: body.expiryWarningDays ?? (await shopSettings(deps, shopId, 'amazon-pay')).expiryWarningDays };
    const plan = { amountJpy: b.amountJpy, interval: b.interval, firstChargeAt: new Date(b.firstChargeAt).toISOString() };
    const refusal = planRefusal(plan, new Date().toISOString());
    if (refusal) throw new HttpError(422, `plan refused: ${refusal}`);
    const workflowId = amazonPayRecurringWorkflowId(shopId, b.parentOrderId);
    const samePlan = (row: RecurringParentRow | undefined) => row !== undefined && row.chargePermissionId === b.chargePermissionId
      && row.amountJpy === b.amountJpy && row.intervalUnit === b.interval.unit && row.intervalValue === b.interval.value;
    const before = await getRecurringParent(deps.db, shopId, b.parentOrderId);
    const { row, outcome } = await writeThenStart(deps, {
      workflowId, shopId, workflowType: amazonPayRecurringWorkflow.name, taskQueue: deps.taskQueue,
      args: [{ shopId, parentOrderId: b.parentOrderId, chargePermissionId: b.chargePermissionId, plan, captureNow: b.captureNow, expiryWarningDays: b.expiryWarningDays }],
      conflictPolicy: 'USE_EXISTING', reusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      // the workflow adds RecurringExpiresAt (it reckons the expiry on its own clock)
      searchAttributes: attributes([[SHOP_ID, shopId], [ORDER_ID, b.parentOrderId], [RECURRING_STATUS, 'active'], [RECURRING_NEXT_CHARGE_AT, plan.firstChargeAt]]),
      row: { table: 'amazon-pay-recurring', orderId: b.parentOrderId },
    }, {
      write: () => insertRecurringParent(deps.db, {
        shopId, parentOrderId: b.parentOrderId, chargePermissionId: b.chargePermissionId, amountJpy: b.amountJpy,
        intervalUnit: b.interval.unit, intervalValue: b.interval.value,
      }),
      proceed: samePlan,
    });
    // a repeated start is harmless only with the same permission and plan (as an authorization's is)
    if (!row) throw new HttpError(409, `charge permission ${b.chargePermissionId} already backs another recurring parent`);
    if (outcome === null) throw new HttpError(409, `recurring parent ${b.parentOrderId} was started before with another charge permission or plan`, { status: row.status });
    if (outcome === 'finished-before') return void res.status(200).json({ workflowId, status: row.status, note: 'this recurring parent has already ended' });
    if (before && before.status !== 'failed') return void res.status(200).json({ workflowId, status: row.status, note: 'this recurring parent is already running: the repeat changes nothing' });
    res.status(202).json({ workflowId });
  });

  const act = (res: Response, p: { shopId: string; parentOrderId: string }, action: OperatorActionName, args: unknown = {}) =>
    performOperatorAction(deps, actorOf(res), { shopId: p.shopId, orderId: p.parentOrderId, action, args });

  // The stored row answers for an ended parent; the running workflow adds its live view (next charge, month total).
  router.get('/:parentOrderId', async (req, res) => {
    const p = parentParams.parse(req.params);
    const row = await getRecurringParent(deps.db, p.shopId, p.parentOrderId);
    if (!row) throw new HttpError(404, `unknown recurring parent ${p.parentOrderId}`);
    const workflowId = amazonPayRecurringWorkflowId(p.shopId, p.parentOrderId);
    const failure = await getProcessFailure(deps.db, workflowId);
    // a failed run's last view would read as alive: its row and failure say what happened
    const live = failure ? null : await deps.temporal.workflow.getHandle(workflowId).query(recurringStateQuery)
      .catch((err: unknown) => { if (isClosedWorkflowError(err)) return null; throw err; });
    res.json({ ...row, ...live, failure, children: await listRecurringChildren(deps.db, p.shopId, p.parentOrderId) });
  });
  router.post('/:parentOrderId/skip-next', async (req, res) => {
    const p = parentParams.parse(req.params);
    res.json(await act(res, p, 'amazon-pay-recurring.skip-next'));
  });
  router.post('/:parentOrderId/plan', async (req, res) => {
    const p = parentParams.parse(req.params);
    res.json(await act(res, p, 'amazon-pay-recurring.plan', req.body));
  });
  router.post('/:parentOrderId/children/:cycle/cancel', async (req, res) => {
    const p = childParams.parse(req.params);
    res.json(await act(res, p, 'amazon-pay-recurring.cancel-child', { cycle: p.cycle }));
  });
  router.post('/:parentOrderId/children/:cycle/shipped', async (req, res) => {
    const p = childParams.parse(req.params);
    res.json(await act(res, p, 'amazon-pay-recurring.child-shipped', { cycle: p.cycle }));
  });
  router.post('/:parentOrderId/close', async (req, res) => {
    const p = parentParams.parse(req.params);
    res.json(await act(res, p, 'amazon-pay-recurring.close', req.body));
  });
  return router;
}
