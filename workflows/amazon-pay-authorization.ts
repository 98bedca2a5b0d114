import { allHandlersFinished, condition, continueAsNew, ParentClosePolicy, proxyActivities, proxyLocalActivities, setHandler, startChild, workflowInfo } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Duration } from '@temporalio/common';
import { msToNumber as msOf } from '@temporalio/common/lib/time';
import type { AmazonPayActivities, ChargeView } from '../activities/amazon-pay-activities';
import { PAYMENT_STATUS, reviewOutcome, UNEXPECTED_STATE_MESSAGE, type AuthorizationRequest, type PaymentStatus } from './amazon-pay-review';
import { authorizationStateQuery, chargeNotifiedSignal } from './amazon-pay-authorization-messages';
import { localIo, localStep, paymentApi } from './retry-policies';
import { orderCancelWorkflowId, stepKey } from './workflow-ids';
import { orderCancelWorkflow } from './order-cancel';
import { orderAttributes } from './order-status-attributes';
import { patchGate, type PatchGate } from './patch-gate';
import { AMAZON_PAY_REVIEW_STATUS, ORDER_CANCEL_STATUS, ORDER_ID, SHOP_ID } from './search-attributes';
import type { createOrderCancelActivities } from '../activities/order-cancel-activities';

const amazon = proxyActivities<AmazonPayActivities>(paymentApi);
const local = proxyActivities<AmazonPayActivities>(localIo);
const cancelSettings = proxyActivities<ReturnType<typeof createOrderCancelActivities>>(localIo);
/**
 * The look after an IPN (readCharge) and the record of its result (recordPayment) as local activities: they run in the
 * workflow task the signal woke, so the order data OUT row is written without an activity task's dispatch nor a second
 * workflow task in between (issue 16 §4). Both are short and idempotent (a GET; a keyed statement). Runs started
 * before this change keep their activities (patched).
 */
const LOCAL_LOOK_PATCH = 'amazon-pay-authorization-local-look';
const amazonHere = proxyLocalActivities<AmazonPayActivities>({ startToCloseTimeout: paymentApi.startToCloseTimeout, retry: paymentApi.retry });
const localHere = proxyLocalActivities<AmazonPayActivities>(localStep);
/** The Web UI's AmazonPayReviewStatus (審査中 is set at start by the API). */
const SEARCH_ATTRIBUTES_PATCH = 'amazon-pay-review-search-attributes';

export interface AuthorizationOptions {
  /** how often to read the charge when no IPN comes (Amazon recommends hourly) */
  checkEvery?: Duration;
  /** how long to wait for the result: Amazon's 24 hours and a margin */
  giveUpAfter?: Duration;
  /** continue as new once the history has this many events (default: only when the server suggests it) */
  continueAsNewAt?: number;
}

/** What a run hands to the next when it continues as new while the charge is still pending. */
export interface AuthorizationCarried {
  charge: ChargeView;
  checks: number;
  giveUpAt: number;
  /** an IPN came in during the last read: look again at once */
  lookAgain: boolean;
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
export async function amazonPayAuthorizationWorkflow(
  req: AuthorizationRequest, options: AuthorizationOptions = {}, carried?: AuthorizationCarried,
): Promise<AuthorizationResult> {
  const { workflowId } = workflowInfo();
  const { since } = patchGate('amazon-pay-authorization-patches-folded');
  // One key per started run chain: a retried activity (and a continued run) keeps it, a new start after a failure gets
  // a new one, so Amazon does not replay the first run's refusal forever. (Replay does not compare activity inputs,
  // so open workflows replay unchanged; an attempt already scheduled keeps the key it was scheduled with.)
  const chargeKey = () => stepKey(`${workflowId}:${workflowInfo().firstExecutionRunId}`, 'charge', 0);
  const order = { shopId: req.shopId, orderId: req.orderId };
  let paymentStatus: PaymentStatus = PAYMENT_STATUS.reviewing;
  const showAttributes = orderAttributes(() => since(SEARCH_ATTRIBUTES_PATCH), order);
  /** Shows the status once it is stored (審査完了, 審査NG): one upsert per review. */
  const show = () => showAttributes([{ key: AMAZON_PAY_REVIEW_STATUS, value: paymentStatus }]);
  let charge: ChargeView | undefined;
  let checks = carried?.checks ?? 0;
  // A flag, not a count: IPNs that arrive while one look is pending or running ask for one more look, not one each.
  // An IPN about another charge brings nothing to look at.
  let lookAgain = carried?.lookAgain ?? false;
  setHandler(chargeNotifiedSignal, (n) => {
    if (charge?.chargeId && n?.chargeId && n.chargeId !== charge.chargeId) return;
    lookAgain = true;
  });
  setHandler(authorizationStateQuery, () => ({ paymentStatus, chargeId: charge?.chargeId ?? null, chargeState: charge?.state ?? null, checks }));

  // A continued run has its charge already: requested and recorded by the first run.
  charge = carried?.charge ?? await amazon.requestAuthorization({
    ...order, chargePermissionId: req.chargePermissionId, amountJpy: req.amountJpy, idempotencyKey: chargeKey(),
  });
  if (!carried) await local.recordPayment({
    ...order, chargeId: charge.chargeId ?? undefined, paymentStatus, creditStatus: charge.state, dedupeKey: stepKey(workflowId, 'requested', 0),
  });

  // Wait-then-review: an IPN wakes the workflow at once; the periodic read covers a lost IPN.
  const giveUpAt = carried?.giveUpAt ?? Date.now() + msOf(options.giveUpAfter ?? '25 hours');
  while (charge.chargeId && reviewOutcome(charge.state, charge.reasonCode).kind === 'pending' && Date.now() < giveUpAt) {
    await condition(() => lookAgain, Math.min(msOf(options.checkEvery ?? '1 hour'), giveUpAt - Date.now()));
    lookAgain = false;
    checks += 1;
    charge = await (since(LOCAL_LOOK_PATCH) ? amazonHere : amazon).readCharge({ shopId: req.shopId, chargeId: charge.chargeId });
    // Bounded history: IPNs and hourly looks add events for up to a day; a long wait goes on in a new run.
    const info = workflowInfo();
    if (reviewOutcome(charge.state, charge.reasonCode).kind === 'pending' && Date.now() < giveUpAt
      && (info.continueAsNewSuggested || (options.continueAsNewAt !== undefined && info.historyLength >= options.continueAsNewAt))) {
      await condition(allHandlersFinished);
      return await continueAsNew<typeof amazonPayAuthorizationWorkflow>(req, options, { charge, checks, giveUpAt, lookAgain });
    }
  }

  const outcome = reviewOutcome(charge.state, charge.reasonCode);
  const step = (name: string) => stepKey(workflowId, name, 0);
  switch (outcome.kind) {
    case 'authorized': {
      paymentStatus = PAYMENT_STATUS.reviewed;
      await (since(LOCAL_LOOK_PATCH) ? localHere : local).recordPayment({
        ...order, paymentStatus, creditStatus: charge.state, authorizationDate: charge.changedAt,
        outboxEvent: 'amazon-pay.authorized', review: { outcome: 'OK', message: null }, dedupeKey: step('authorized'),
      });
      show();
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
      await (since(LOCAL_LOOK_PATCH) ? localHere : local).recordPayment({
        ...order, paymentStatus, creditStatus: charge.state, cancelRequested: req.cancelOnDecline, lastError: charge.reasonCode,
        outboxEvent: 'amazon-pay.declined', review: { outcome: 'OK', message: null }, dedupeKey: step('declined'),
      });
      show();
      await local.sendAuthorizationFailureMail({ ...order, reasonCode: charge.reasonCode, cancelRequested: req.cancelOnDecline });
      await cancelIfNgSaysSo(req, charge.chargeId, since);
      break;
    }
    case 'unexpected':
    case 'pending': {
      // renkei's own cancellation of an order under review: the review ends quietly, the cancellation reports the order.
      if (charge.state === 'Canceled' && since('amazon-pay-own-cancel') && await local.amazonPayCanceledByRenkei(order)) {
        paymentStatus = PAYMENT_STATUS.reviewed;
        await local.recordPayment({ ...order, paymentStatus, creditStatus: charge.state, dedupeKey: step('canceled-by-renkei') });
        show();
        break;
      }
      // #1320: CaptureInitiated, Captured, Canceled go to the ERROR list; #1352: canceled at Amazon → 審査完了 and a mail.
      paymentStatus = PAYMENT_STATUS.reviewed;
      const state = outcome.kind === 'pending' ? `${charge.state} (no result within the review window)` : outcome.state;
      await local.recordPayment({
        ...order, paymentStatus, creditStatus: charge.state, lastError: `${UNEXPECTED_STATE_MESSAGE} (${state})`,
        review: { outcome: 'ERROR', message: state }, dedupeKey: step('unexpected'),
      });
      show();
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
async function cancelIfNgSaysSo(req: AuthorizationRequest, chargeId: string | null, since: PatchGate['since']): Promise<void> {
  const paymentMethod = req.paymentMethod ?? 'amazon-pay';
  if (!req.cancelOnDecline && !(await cancelSettings.cancelAutoOnNgSetting({ shopId: req.shopId, paymentMethod }))) return;
  try {
    await startChild(orderCancelWorkflow, {
      workflowId: orderCancelWorkflowId(req.shopId, req.orderId),
      args: [{ shopId: req.shopId, orderId: req.orderId, source: 'authorization-ng', payment: { method: paymentMethod, amazonPayChargeId: chargeId ?? undefined } }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      ...(since(SEARCH_ATTRIBUTES_PATCH) ? {
        typedSearchAttributes: [{ key: SHOP_ID, value: req.shopId }, { key: ORDER_ID, value: req.orderId }, { key: ORDER_CANCEL_STATUS, value: 'canceling' }],
      } : {}),
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err; // already being canceled: nothing to add
  }
}
