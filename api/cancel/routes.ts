import express, { type Router } from 'express';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import { getCancelRecord, listPaymentMethodSettings, outboxProgress, putPaymentMethodSetting } from '../../db/order-cancel';
import { orderCancelWorkflow } from '../../workflows/order-cancel';
import { ORDER_CANCEL_STATUS, ORDER_ID, SHOP_ID } from '../../workflows/search-attributes';
import { orderCancelWorkflowId } from '../../workflows/workflow-ids';
import { getProcessFailure } from '../../db/process-failures';
import { HttpError } from '../http-error';
import { performOperatorAction } from '../../operators/perform-action';
import { actorOf, requireRole } from '../auth';
import { auditedAs } from '../../operators/audit';
import { cancelRequestBody, methodParams, orderParams, paymentMethodBody } from './schemas';
import type { ApiDeps } from '../app';

/**
 * /shops/:shopId/cancellations: request a cancel (shop admin or buyer: the same saga; a repeat is harmless), decide
 * on a failed provider cancel, read an order's cancel state; and the payment methods' cancel settings.
 */
export function createOrderCancelRoutes(deps: ApiDeps): Router {
  const router = express.Router({ mergeParams: true });


  router.get('/payment-methods', async (req, res) => {
    const { shopId } = req.params as { shopId: string };
    res.json({ paymentMethods: await listPaymentMethodSettings(deps.db, shopId) });
  });

  router.put('/payment-methods/:method', requireRole('admin'), async (req, res) => {
    const { shopId, method } = methodParams.parse(req.params);
    const body = paymentMethodBody.parse(req.body);
    res.json(await auditedAs(deps.db, actorOf(res), { shopId, process: 'cancel', orderId: null, action: 'payment-method.set', input: { paymentMethod: method, ...body } },
      () => putPaymentMethodSetting(deps.db, { shopId, paymentMethod: method, ...body })));
  });

  router.post('/', async (req, res) => {
    const { shopId } = req.params as { shopId: string };
    const b = cancelRequestBody.parse(req.body);
    const workflowId = orderCancelWorkflowId(shopId, b.orderId);
    const record = await getCancelRecord(deps.db, shopId, b.orderId);
    if (record?.orderStatus === 'キャンセル') {
      res.status(200).json({ workflowId, note: `order ${b.orderId} is already canceled`, cancel: record });
      return;
    }
    await deps.temporal.workflow.start(orderCancelWorkflow, {
      workflowId, taskQueue: deps.taskQueue, workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      args: [{
        shopId, orderId: b.orderId, source: b.source, payment: b.payment,
        ...(b.remindAfterHours ? { remindAfterMs: Math.round(b.remindAfterHours * 3_600_000) } : {}),
      }],
      typedSearchAttributes: [{ key: SHOP_ID, value: shopId }, { key: ORDER_ID, value: b.orderId }, { key: ORDER_CANCEL_STATUS, value: 'canceling' }],
    });
    res.status(202).json({ workflowId });
  });

  router.get('/:orderId', async (req, res) => {
    const { shopId, orderId } = orderParams.parse(req.params);
    const record = await getCancelRecord(deps.db, shopId, orderId);
    if (!record) throw new HttpError(404, `no cancel for order ${orderId}`);
    // the order OUT row as it is now: an operator's redelivery may have changed it since the saga recorded it
    const orderOut = record.outboxId ? { id: record.outboxId, ...(await outboxProgress(deps.db, record.outboxId)) } : null;
    const workflowId = orderCancelWorkflowId(shopId, orderId);
    res.json({ ...record, workflowId, failure: await getProcessFailure(deps.db, workflowId), orderOut });
  });

  // The operator's choice after a failed provider cancel (#696, #1334), as an update the saga validates.
  router.post('/:orderId/decision', async (req, res) => {
    const { shopId, orderId } = orderParams.parse(req.params);
    res.json(await performOperatorAction(deps, actorOf(res), { shopId, orderId, action: 'cancel.decision', args: req.body }));
  });

  return router;
}
