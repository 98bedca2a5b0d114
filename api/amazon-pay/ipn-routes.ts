import express, { type Response, type Router } from 'express';
import { WorkflowNotFoundError } from '@temporalio/client';
import { findOrderByChargeId } from '../../db/amazon-pay-orders';
import { findParentByChargePermission } from '../../db/amazon-pay-recurring';
import { createIpnMessageStore } from '../../db/ipn-messages';
import { chargePermissionNotifiedSignal } from '../../workflows/amazon-pay-recurring-messages';
import { AmazonPayIpnMessageError, parseAmazonPayIpnMessage, SnsVerificationError, type SnsVerifier } from '../../amazon-pay/sns/sns-verifier';
import { amazonPayChargeStateWorkflowId, chargeNotifiedSignal } from '../../workflows/amazon-pay-authorization-messages';
import { amazonPayChargeStateWorkflow } from '../../workflows/amazon-pay-charge-state';
import { PAYMENT_STATUS } from '../../workflows/amazon-pay-review';
import { amazonPayAuthorizationWorkflowId, amazonPayRecurringWorkflowId } from '../../workflows/workflow-ids';
import { ORDER_ID, SHOP_ID } from '../../workflows/search-attributes';
import { createLogger } from '../../common/logger';
import { HttpError } from '../http-error';
import type { ApiDeps } from '../app';
import type { AmazonPayIpnAccountLookup } from './ipn-account';

const log = createLogger('ipn');

/** A failed verification: the sender's fault is 4xx (SNS never retries it); our cert fetch failing is 503. */
const STATUS_OF: Record<string, number> = { malformed: 400, 'missing-key': 400, 'unknown-signature-version': 400, stale: 400, 'cert-unavailable': 503 };

/** How long PostgreSQL and Temporal get per step before the IPN answers 503 (SNS waits 15 s for an answer). */
export const IPN_DEPENDENCY_DEADLINE_MS = 3000;
/** Seconds a 503 asks the sender to wait: SNS keeps its own schedule, other callers may read it. */
const RETRY_AFTER_SECONDS = '20';

/** PostgreSQL or Temporal did not answer: 503, so SNS delivers the message again. */
class Unavailable extends Error {}

export interface IpnRouteDeps extends Pick<ApiDeps, 'db' | 'temporal' | 'isKnownShop' | 'taskQueue'> {
  ipnVerifier: SnsVerifier;
  /** absent: no shop has an account, every IPN is refused */
  amazonPayIpnAccount?: AmazonPayIpnAccountLookup;
}

/**
 * POST /shops/:shopId/amazon-pay/ipn: Amazon Pay's IPNs (SNS HTTP POSTs). Authenticated by the SNS signature, not by
 * our bearer token, and taken in once: the signature, the shop's topics, a fresh Timestamp and the shop's merchant are
 * checked, then the MessageId is claimed (a replay answers 200 and signals nothing). The message names an object and
 * carries no state, so the owning workflow is only told to look: it reads the object with a GET. A charge whose
 * order's review has ended (or whose review workflow is gone) goes to its charge-state workflow (signal-with-start),
 * which records the change and writes the order data OUT row (#1319).
 *
 * Never dropped: when PostgreSQL or Temporal does not answer within a few seconds the answer is 503 and the claim is
 * released, so SNS's retry is taken as new, not as a replay.
 */
export function createAmazonPayIpnRoutes(deps: IpnRouteDeps): Router {
  const router = express.Router({ mergeParams: true });
  const messages = createIpnMessageStore(deps.db);

  router.post('/', express.text({ type: () => true, limit: '64kb' }), async (req, res) => {
    const { shopId } = req.params as { shopId: string };
    if (!(await deps.isKnownShop(shopId))) throw new HttpError(404, 'unknown shop'); // the shop directory answers a promise
    try {
      await handle(shopId, req.body, res);
    } catch (err) {
      if (!(err instanceof Unavailable)) throw err;
      log.warn('IPN not taken in, the sender will retry', { shopId, error: err.message });
      res.set('Retry-After', RETRY_AFTER_SECONDS);
      throw new HttpError(503, `IPN not taken in: ${err.message}; retry later`);
    }
  });
  return router;

  async function handle(shopId: string, body: unknown, res: Response): Promise<void> {
    const account = deps.amazonPayIpnAccount ? await ours('the account', deps.amazonPayIpnAccount(shopId)) : undefined;
    if (!account) {
      log.warn('IPN refused, the shop has no Amazon Pay account', { shopId });
      throw new HttpError(403, 'IPN rejected: the shop has no Amazon Pay account', { reason: 'no-account' });
    }
    let envelope;
    try {
      envelope = await deps.ipnVerifier.verify(body, { topicArns: account.topicArns });
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
    if (message.merchantId !== account.merchantId) {
      log.warn('IPN rejected, another merchant', { shopId, messageId: envelope.MessageId });
      throw new HttpError(403, "IPN rejected: the message is not for this shop's merchant", { reason: 'merchant-mismatch' });
    }

    const messageId = envelope.MessageId;
    const fields = { shopId, messageId, objectType: message.objectType, objectId: message.objectId };
    // The owner's lookup does not depend on the claim: both at once, one round trip fewer before the signal (issue 16).
    // Awaited in route(); after a replay or a failed claim nobody awaits it, so its failure is caught here too.
    const owner = ours('the order lookup', owningWorkflow(shopId, message.objectType, message.objectId));
    owner.catch(() => undefined);
    const claiming = messages.claim(shopId, messageId);
    const claim = await ours('the MessageId store', claiming).catch((err: unknown) => {
      // A claim that lands after we stopped waiting must not hold the message: the sender's retry is coming.
      void claiming.then((c) => (c === 'claimed' ? messages.release(shopId, messageId) : undefined)).catch(() => undefined);
      throw err;
    });
    if (claim === 'done') {
      log.info('IPN replay acknowledged, nothing signalled', fields);
      return void res.status(200).json({ ignored: 'already taken in (same MessageId)' });
    }
    // Another request holds it: if that one fails, this answer makes the sender come back.
    if (claim === 'in-flight') throw new Unavailable('the same MessageId is being taken in');

    let answer: { status: number; body: Record<string, string> };
    try {
      answer = await route(message.objectType, message.objectId, fields, owner);
    } catch (err) {
      await messages.release(shopId, messageId).catch((e: unknown) => log.warn('IPN claim not released; it is taken over once abandoned', { ...fields, error: String(e) }));
      throw err;
    }
    await messages.complete(shopId, messageId).catch((e: unknown) => log.warn('IPN taken in but not marked done', { ...fields, error: String(e) }));
    res.status(answer.status).json(answer.body);

    /** Signals the owning workflow; throws Unavailable when PostgreSQL or Temporal does not answer. */
    async function route(objectType: string, objectId: string, f: typeof fields, owner: Promise<RouteTarget | undefined>): Promise<{ status: number; body: Record<string, string> }> {
      const target = await owner;
      if (!target) {
        log.info('IPN acknowledged, no workflow waits on this object', f);
        return { status: 200, body: { ignored: `no workflow waits on ${objectType} ${objectId}` } };
      }
      let routed = target;
      try {
        await deps.temporal.withDeadline(Date.now() + IPN_DEPENDENCY_DEADLINE_MS, target.signal);
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw unavailable(err);
        if (!target.afterwards) {
          log.info('IPN acknowledged, the workflow has finished', { ...f, workflowId: target.workflowId });
          return { status: 200, body: { ignored: 'the workflow has finished' } };
        }
        // The review workflow is gone while the order still says 審査中: the change is recorded all the same.
        routed = target.afterwards;
        try {
          await deps.temporal.withDeadline(Date.now() + IPN_DEPENDENCY_DEADLINE_MS, routed.signal);
        } catch (e) {
          throw unavailable(e);
        }
      }
      log.info('IPN routed', { ...f, workflowId: routed.workflowId });
      return { status: 200, body: { routed: routed.workflowId } };
    }
  }

  /** A charge belongs to an order under review; a permission to a recurring parent. */
  async function owningWorkflow(shopId: string, objectType: string, objectId: string): Promise<RouteTarget | undefined> {
    if (objectType === 'CHARGE') {
      const order = await findOrderByChargeId(deps.db, shopId, objectId);
      if (!order) return undefined;
      const chargeState = chargeStateTarget(shopId, order.orderId, objectId);
      if (order.paymentStatus !== PAYMENT_STATUS.reviewing) return chargeState; // the review is over: a change to record
      const workflowId = amazonPayAuthorizationWorkflowId(shopId, order.orderId);
      return {
        workflowId, afterwards: chargeState,
        signal: () => deps.temporal.workflow.getHandle(workflowId).signal(chargeNotifiedSignal, { chargeId: objectId }),
      };
    }
    if (objectType === 'CHARGE_PERMISSION') {
      const parent = await findParentByChargePermission(deps.db, shopId, objectId);
      if (!parent) return undefined;
      const workflowId = amazonPayRecurringWorkflowId(shopId, parent.parentOrderId);
      return { workflowId, signal: () => deps.temporal.workflow.getHandle(workflowId).signal(chargePermissionNotifiedSignal) };
    }
        return undefined;
  }

  /** The charge's charge-state workflow, started when none runs (it then looks once), else told to look again. */
  function chargeStateTarget(shopId: string, orderId: string, chargeId: string): RouteTarget {
    const workflowId = amazonPayChargeStateWorkflowId(shopId, chargeId);
    return {
      workflowId,
      signal: () => deps.temporal.workflow.signalWithStart(amazonPayChargeStateWorkflow, {
        workflowId, taskQueue: deps.taskQueue, args: [{ shopId, orderId, chargeId }], signal: chargeNotifiedSignal, signalArgs: [{ chargeId }],
        typedSearchAttributes: [{ key: SHOP_ID, value: shopId }, { key: ORDER_ID, value: orderId }], // found with the order's other workflows
      }),
    };
  }
}

interface RouteTarget {
  workflowId: string;
  signal: () => Promise<unknown>;
  /** where the IPN goes when this workflow has finished */
  afterwards?: RouteTarget;
}

const unavailable = (err: unknown) => new Unavailable(`Temporal did not take the signal (${err instanceof Error ? err.name : 'error'})`);

/** A step on PostgreSQL (or another of our dependencies): its failure or silence is ours, so the answer is 503. */
async function ours<T>(what: string, work: Promise<T>, ms = IPN_DEPENDENCY_DEADLINE_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Unavailable(`${what} did not answer within ${ms} ms`)), ms);
      }),
    ]);
  } catch (err) {
    if (err instanceof Unavailable || err instanceof HttpError) throw err;
    throw new Unavailable(`${what} failed (${err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : 'error'})`);
  } finally {
    clearTimeout(timer);
  }
}
