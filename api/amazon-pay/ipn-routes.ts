import express, { type Router } from 'express';
import { WorkflowNotFoundError } from '@temporalio/client';
import { findOrderByChargeId } from '../../db/amazon-pay-orders';
import { findParentByChargePermission } from '../../db/amazon-pay-recurring';
import { chargePermissionNotifiedSignal } from '../../workflows/amazon-pay-recurring-messages';
import { AmazonPayIpnMessageError, parseAmazonPayIpnMessage, SnsVerificationError, type SnsVerifier } from '../../amazon-pay/sns/sns-verifier';
import { chargeNotifiedSignal } from '../../workflows/amazon-pay-authorization-messages';
import { amazonPayAuthorizationWorkflowId, amazonPayRecurringWorkflowId } from '../../workflows/workflow-ids';
import { createLogger } from '../../common/logger';
import { HttpError } from '../http-error';
import type { ApiDeps } from '../app';

const log = createLogger('ipn');

/** A failed verification: the sender's fault is 4xx (never retried into success); our cert fetch failing is 503. */
const STATUS_OF: Record<string, number> = { malformed: 400, 'missing-key': 400, 'unknown-signature-version': 400, 'cert-unavailable': 503 };

/**
 * POST /shops/:shopId/amazon-pay/ipn: Amazon Pay's IPNs (SNS HTTP POSTs). Authenticated by the SNS signature, not by
 * our bearer token. The message names an object and carries no state, so the owning workflow is only told to look:
 * it reads the object with a GET. Duplicates are harmless (one more look); unknown objects are acknowledged.
 */
export function createAmazonPayIpnRoutes(deps: Pick<ApiDeps, 'db' | 'temporal' | 'isKnownShop'> & { ipnVerifier: SnsVerifier }): Router {
  const router = express.Router({ mergeParams: true });
  router.post('/', express.text({ type: () => true, limit: '64kb' }), async (req, res) => {
    const { shopId } = req.params as { shopId: string };
    if (!deps.isKnownShop(shopId)) throw new HttpError(404, `unknown shop ${shopId}`);
    let envelope;
    try {
      envelope = await deps.ipnVerifier.verify(req.body);
    } catch (err) {
      if (!(err instanceof SnsVerificationError)) throw err;
      log.warn('IPN rejected', { shopId, reason: err.reason });
      throw new HttpError(STATUS_OF[err.reason] ?? 403, `IPN rejected: ${err.message}`, { reason: err.reason });
    }
    if (envelope.Type !== 'Notification') {
      log.warn('SNS subscription message not confirmed automatically', { shopId, type: envelope.Type, topic: envelope.TopicArn });
      return void res.status(200).json({ ignored: `SNS ${envelope.Type}` });
    }
    let message;
    try {
      message = parseAmazonPayIpnMessage(envelope.Message);
    } catch (err) {
      if (err instanceof AmazonPayIpnMessageError) throw new HttpError(400, 'IPN message is not an Amazon Pay notification', { issues: err.issues });
      throw err;
    }
    const fields = { shopId, messageId: envelope.MessageId, objectType: message.objectType, objectId: message.objectId };
    const target = await owningWorkflow(message.objectType, message.objectId);
    if (!target) {
      log.info('IPN acknowledged, no workflow waits on this object', fields);
      return void res.status(200).json({ ignored: `no workflow waits on ${message.objectType} ${message.objectId}` });
    }
    try {
      await target.signal();
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      log.info('IPN acknowledged, the workflow has finished', { ...fields, workflowId: target.workflowId });
      return void res.status(200).json({ ignored: 'the workflow has finished' });
    }
    log.info('IPN routed', { ...fields, workflowId: target.workflowId });
    res.status(200).json({ routed: target.workflowId });

    /** A charge belongs to an order under review; a permission to a recurring parent. */
    async function owningWorkflow(objectType: string, objectId: string) {
      if (objectType === 'CHARGE') {
        const order = await findOrderByChargeId(deps.db, shopId, objectId);
        if (!order) return undefined;
        const workflowId = amazonPayAuthorizationWorkflowId(shopId, order.orderId);
        return { workflowId, signal: () => deps.temporal.workflow.getHandle(workflowId).signal(chargeNotifiedSignal, { chargeId: objectId }) };
      }
      if (objectType === 'CHARGE_PERMISSION') {
        const parent = await findParentByChargePermission(deps.db, shopId, objectId);
        if (!parent) return undefined;
        const workflowId = amazonPayRecurringWorkflowId(shopId, parent.parentOrderId);
        return { workflowId, signal: () => deps.temporal.workflow.getHandle(workflowId).signal(chargePermissionNotifiedSignal) };
      }
      return undefined;
    }
  });
  return router;
}
