import { condition, ParentClosePolicy, proxyActivities, setHandler, startChild, workflowInfo } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Duration } from '@temporalio/common';
import { msToNumber as msOf } from '@temporalio/common/lib/time';
import type { AmazonPayActivities, ChargeView } from '../activities/amazon-pay-activities';
import { PAYMENT_STATUS, reviewOutcome, UNEXPECTED_STATE_MESSAGE, type AuthorizationRequest, type PaymentStatus } from './amazon-pay-review';
import { authorizationStateQuery, chargeNotifiedSignal } from './amazon-pay-authorization-messages';
import { localIo, paymentApi } from './retry-policies';
import { orderCancelWorkflowId, stepKey } from './workflow-ids';
import { orderCancelWorkflow } from './order-cancel';
import type { createOrderCancelActivities } from '../activities/order-cancel-activities';

const amazon = proxyActivities<AmazonPayActivities>(paymentApi);
const local = proxyActivities<AmazonPayActivities>(localIo);
const cancelSettings = proxyActivities<ReturnType<typeof createOrderCancelActivities>>(localIo);

export interface AuthorizationOptions {
  /** how often to read the charge when no IPN comes (Amazon recommends hourly) */
  checkEvery?: Duration;
  /** how long to wait for the result: Amazon's 24 hours and a margin */
  giveUpAfter?: Duration;
}

export interface AuthorizationResult {
  paymentStatus: PaymentStatus;
  chargeState: string;
  reasonCode: string | null;
}

/**
 * Amazon Pay 非同期オーソリ (seed 000 #1319, #1320, #1352): charge with pending authorization allowed, wait for the
 * IPN (or find the result on a schedule, in case the IPN is lost), then record the result: 審査完了 and the
 * authorization date before the order data OUT event; capture when the shop captures on authorization; a decline
 * mails the shop; an unexpected state goes to the report's ERROR list.
 */
export async function amazonPayAuthorizationWorkflow(req: AuthorizationRequest, options: AuthorizationOptions = {}): Promise<AuthorizationResult> {
  const { workflowId } = workflowInfo();
  const order = { shopId: req.shopId, orderId: req.orderId };
  let paymentStatus: PaymentStatus = PAYMENT_STATUS.reviewing;
  let charge: ChargeView | undefined;
  let notifications = 0;
  let checks = 0;

  setHandler(chargeNotifiedSignal, () => void (notifications += 1));
  setHandler(authorizationStateQuery, () => ({ paymentStatus, chargeId: charge?.chargeId ?? null, chargeState: charge?.state ?? null, checks }));

  charge = await amazon.requestAuthorization({
    ...order, chargePermissionId: req.chargePermissionId, amountJpy: req.amountJpy, idempotencyKey: stepKey(workflowId, 'charge', 0),
  });
  await local.recordPayment({
    ...order, chargeId: charge.chargeId ?? undefined, paymentStatus, creditStatus: charge.state, dedupeKey: stepKey(workflowId, 'requested', 0),
  });

  // Wait-then-review: an IPN wakes the workflow at once; the periodic read covers a lost IPN.
  const giveUpAt = Date.now() + msOf(options.giveUpAfter ?? '25 hours');
  while (charge.chargeId && reviewOutcome(charge.state, charge.reasonCode).kind === 'pending' && Date.now() < giveUpAt) {
    const seen = notifications;
    await condition(() => notifications > seen, Math.min(msOf(options.checkEvery ?? '1 hour'), giveUpAt - Date.now()));
    checks += 1;
    charge = await amazon.readCharge({ shopId: req.shopId, chargeId: charge.chargeId });
  }

  const outcome = reviewOutcome(charge.state, charge.reasonCode);
  const step = (name: string) => stepKey(workflowId, name, 0);
  switch (outcome.kind) {
    case 'authorized': {
      paymentStatus = PAYMENT_STATUS.reviewed;
      await local.recordPayment({
        ...order, paymentStatus, creditStatus: charge.state, authorizationDate: charge.changedAt,
        outboxEvent: 'amazon-pay.authorized', review: { outcome: 'OK', message: null }, dedupeKey: step('authorized'),
      });
      if (req.captureOnAuthorization && charge.chargeId) {
        const captured = await amazon.captureCharge({ shopId: req.shopId, chargeId: charge.chargeId, amountJpy: req.amountJpy, idempotencyKey: step('capture') });
        charge = captured;
        await local.recordPayment({
          ...order, paymentStatus, creditStatus: captured.state, authorizationFixedDate: captured.changedAt,
          referenceNumber: captured.chargeId, outboxEvent: 'amazon-pay.captured', dedupeKey: step('captured'),
        });
      }
      break;
    }
    case 'declined': {
      paymentStatus = PAYMENT_STATUS.declined;
      await local.recordPayment({
        ...order, paymentStatus, creditStatus: charge.state, cancelRequested: req.cancelOnDecline, lastError: charge.reasonCode,
        outboxEvent: 'amazon-pay.declined', review: { outcome: 'OK', message: null }, dedupeKey: step('declined'),
      });
      await local.sendAuthorizationFailureMail({ ...order, reasonCode: charge.reasonCode, cancelRequested: req.cancelOnDecline });
      await cancelIfNgSaysSo(req, charge.chargeId);
      break;
    }
    case 'unexpected':
    case 'pending': {
      // #1320: CaptureInitiated, Captured, Canceled go to the ERROR list; #1352: canceled at Amazon → 審査完了 and a mail.
      paymentStatus = PAYMENT_STATUS.reviewed;
      const state = outcome.kind === 'pending' ? `${charge.state} (no result within the review window)` : outcome.state;
      await local.recordPayment({
        ...order, paymentStatus, creditStatus: charge.state, lastError: `${UNEXPECTED_STATE_MESSAGE} (${state})`,
        review: { outcome: 'ERROR', message: state }, dedupeKey: step('unexpected'),
      });
      if (charge.state === 'Canceled' || outcome.kind === 'pending') {
        await local.sendAuthorizationFailureMail({ ...order, reasonCode: charge.reasonCode, unexpectedState: state, cancelRequested: false });
      }
      break;
    }
  }
  return { paymentStatus, chargeState: charge.state, reasonCode: charge.reasonCode };
}

/**
 * 与信NG時自動受注取消 (#187): the order's cancellation saga starts as an abandoned child (it outlives this
 * workflow), under the order's own cancel id, so a cancel the shop asks for later finds it instead of a twin.
 */
async function cancelIfNgSaysSo(req: AuthorizationRequest, chargeId: string | null): Promise<void> {
  const paymentMethod = req.paymentMethod ?? 'amazon-pay';
  if (!req.cancelOnDecline && !(await cancelSettings.cancelAutoOnNgSetting({ shopId: req.shopId, paymentMethod }))) return;
  try {
    await startChild(orderCancelWorkflow, {
      workflowId: orderCancelWorkflowId(req.shopId, req.orderId),
      args: [{ shopId: req.shopId, orderId: req.orderId, source: 'authorization-ng', payment: { method: paymentMethod, amazonPayChargeId: chargeId ?? undefined } }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err; // already being canceled: nothing to add
  }
}
