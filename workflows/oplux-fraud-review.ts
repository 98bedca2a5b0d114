import {
  ActivityFailure, allHandlersFinished, ApplicationFailure, condition, patched, proxyActivities, proxyLocalActivities, setHandler,
  TimeoutFailure,
  upsertSearchAttributes, workflowInfo, type ActivityOptions,
} from '@temporalio/workflow';
import { msToNumber as msOf } from '@temporalio/common/lib/time';
import type { EventChange, OpluxReviewActivities } from '../activities/oplux-review-activities';
import type { OpluxOrderUpdate } from '../db/oplux-orders';
import {
  fraudReviewStateQuery, paymentFeedbackSignal, relinkUpdate, reReportOrderUpdate, setBlackFlagUpdate, submitManualReviewUpdate,
  type FraudReviewOptions, type FraudReviewOrder, type FraudReviewState,
} from './oplux-fraud-review-messages';
import { SETTLE_STATUSES } from '../oplux/codes';
import { actedBy, type ActedBy } from './acted-by';
import {
  blacklistRefusal, errorMessage, FRAUD_STATUS, manualReviewRefusal, MANUAL_WORD, outHeldBack, PAYMENT_STATUS_REGISTERED,
  PROCESSING_RESULT, RELINK_KIND, relinkRefusal, reReportRefusal, statusAfterManual, statusAfterReview, TIMEOUT_MESSAGE, updateInputProblem,
  type FraudStatus, type RelinkKind, type ReviewPlan,
} from './oplux-review-rules';
import { localIo, localStep } from './retry-policies';
import { FRAUD_REVIEW_STATUS } from './search-attributes';
import { stepKey } from './workflow-ids';

/**
 * O-PLUX: backoff from 2 s to 10 min, 24 attempts (about 2¾ hours: outlasts a 2-hour maintenance). Then the call
 * is 審査エラー / 更新エラー and waits for the operator's 手動再連携.
 */
export const opluxApi: ActivityOptions = {
  startToCloseTimeout: '20s',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '10m', maximumAttempts: 24 },
};
const oplux = proxyActivities<OpluxReviewActivities>(opluxApi);
const local = proxyActivities<OpluxReviewActivities>(localIo);
const here = proxyLocalActivities<OpluxReviewActivities>(localStep);

/**
 * O-PLUX fraud review (seed 001), one per completed order: register the event, record the twelve O-PLUX fields; OK
 * proceeds, NG / HOLD / REVIEW wait for the operator's 目視審査, sent back to O-PLUX. The order data OUT is written when
 * the shop's 受注OUT制御 lets the order go. The black flag and a corrected 目視審査 are taken until `keepOpenFor` after the
 * decision (later, the operator action runs opluxEventUpdateWorkflow). The order's payment outcomes go to O-PLUX as
 * settle.status; a cancellation ends the review. A registration stopped at 審査エラー takes a re-report with new data.
 */
export async function opluxFraudReviewWorkflow(reported: FraudReviewOrder, options: FraudReviewOptions = {}): Promise<FraudReviewState> {
  const { workflowId } = workflowInfo();
  // recording the review's results runs as a local activity (in the workflow task: no round trip through the server);
  // reviews started before ran it as an activity. Opening it stays an activity: a shop without an account is retried
  // for minutes before 審査エラー, on the server's timers, not inside a worker's workflow task
  const db = patched('oplux-local-record') ? here : local;
  const s: FraudReviewState = {
    status: FRAUD_STATUS.reviewing, processingResult: null, eventId: null, review: null, manualResult: null, blackFlag: null,
    released: false, errorMessage: null, relinkKind: null,
  };
  let settled: FraudStatus = s.status; // the review's standing apart from an error
  const queue: EventChange[] = []; // operator changes and payment outcomes accepted, sent in order
  let relinkRequested = false;
  let order = reported; // replaced by a re-report with corrected data (審査エラー only)
  let reReported = false;
  let canceled = false;

  const view = () => ({ status: s.status, eventId: s.eventId, queued: queue.length > 0, relinkRequested, manualGiven: s.manualResult !== null });
  const refuse = (why: string | undefined) => {
    if (why) throw new Error(why);
  };
  setHandler(fraudReviewStateQuery, () => ({ ...s }));
  setHandler(submitManualReviewUpdate, (m, by?: ActedBy) => {
    actedBy('manual review', by);
    queue.push({ kind: 'manual', result: m.result, memo: m.memo });
    return { accepted: true as const, status: s.status };
  }, { validator: (m, _by?: ActedBy) => refuse(updateInputProblem(m) ?? manualReviewRefusal(view())) });
  setHandler(setBlackFlagUpdate, (b, by?: ActedBy) => {
    actedBy('black flag', by);
    queue.push({ kind: 'black', flag: b.flag, customerType: b.customerType });
    return { accepted: true as const, status: s.status };
  }, { validator: (b, _by?: ActedBy) => refuse(updateInputProblem(b) ?? blacklistRefusal(view())) });
  setHandler(relinkUpdate, (by?: ActedBy) => {
    actedBy('relink', by);
    relinkRequested = true;
    return { accepted: true as const, relinkKind: s.relinkKind! };
  }, { validator: (_by?: ActedBy) => refuse(relinkRefusal(view())) });
  setHandler(reReportOrderUpdate, (o) => {
    order = o;
    reReported = true;
    relinkRequested = true;
    return { accepted: true as const, status: s.status };
  }, {
    validator: (o) => refuse(o.shopId !== reported.shopId || o.orderId !== reported.orderId
      ? 'a re-report names the same shop and order' : reReportRefusal({ ...view(), relinkKind: s.relinkKind })),
  });
  setHandler(paymentFeedbackSignal, (p) => {
    if (canceled) return; // the review is ending: nothing after the cancellation
    canceled = p.canceled === true;
    queue.push({ kind: 'settle', settleStatus: p.settleStatus, canceled: p.canceled });
  });

  /** Persists the order's fields (and the order data OUT when `release`), then shows the status. */
  async function record(next: FraudStatus, u: Omit<OpluxOrderUpdate, 'shopId' | 'orderId' | 'status' | 'errorMessage' | 'relinkKind' | 'release' | 'releaseKey'>
    & { errorMessage?: string; relinkKind?: RelinkKind }, release: boolean) {
    const releaseNow = release && !s.released;
    await db.recordOpluxReview({
      shopId: order.shopId, orderId: order.orderId, status: next, errorMessage: null, relinkKind: null, ...u,
      release: releaseNow, releaseKey: stepKey(workflowId, 'release', 0),
    });
    Object.assign(s, { status: next, processingResult: u.processingResult, errorMessage: u.errorMessage ?? null, relinkKind: u.relinkKind ?? null });
    s.released ||= releaseNow;
    upsertSearchAttributes([{ key: FRAUD_REVIEW_STATUS, value: next }]);
  }

  /** Retries spent: 審査エラー or 更新エラー with the message, until the operator's 手動再連携. */
  async function waitForRelink(kind: RelinkKind, err: unknown, extra: Pick<Partial<OpluxOrderUpdate>, 'modelId' | 'orderOutControl' | 'manualResult' | 'manualMemo' | 'blackFlag' | 'paymentStatus'>, release = false) {
    const error = kind === RELINK_KIND.register ? FRAUD_STATUS.reviewError : FRAUD_STATUS.updateError;
    const message = failureMessage(err);
    await record(error, { processingResult: error, errorMessage: message, relinkKind: kind, ...extra }, release);
    await local.sendOpluxErrorMail({ shopId: order.shopId, orderId: order.orderId, result: error, message });
    // a cancellation ends a registration that never succeeded (nothing to tell O-PLUX); an update is re-sent first
    await condition(() => relinkRequested || (canceled && kind === RELINK_KIND.register));
    relinkRequested = false;
    if (canceled && kind === RELINK_KIND.register) return;
    if (reReported) {
      reReported = false;
      await local.replaceOpluxOrder(order);
    }
    if (kind === RELINK_KIND.register) {
      s.status = FRAUD_STATUS.reviewing;
      upsertSearchAttributes([{ key: FRAUD_REVIEW_STATUS, value: s.status }]);
    }
  }

  let plan: ReviewPlan | undefined;
  while (!plan) {
    try {
      plan = await local.openOpluxReview(order);
    } catch (err) {
      await waitForRelink(RELINK_KIND.register, err, {}); // e.g. the shop has no O-PLUX account yet
      if (canceled) return endCanceled(undefined);
    }
  }
  const mode = plan.orderOutControl;
  if (!plan.target) {
    await record(FRAUD_STATUS.notTarget, { processingResult: PROCESSING_RESULT.notTarget, orderOutControl: mode, errorMessage: plan.reason }, true);
    return s;
  }

  while (!s.eventId) {
    try {
      const r = await oplux.registerOpluxEvent({ order, plan });
      Object.assign(s, { eventId: r.eventId, review: r.review });
      settled = statusAfterReview(r.review);
      await record(settled, {
        processingResult: PROCESSING_RESULT.reviewed, eventId: r.eventId, reviewResult: r.review, ruleDescription: r.ruleDescription,
        paymentStatus: PAYMENT_STATUS_REGISTERED, modelId: plan.modelId, orderOutControl: mode,
      }, !outHeldBack(mode, r.review));
    } catch (err) {
      await waitForRelink(RELINK_KIND.register, err, { modelId: plan.modelId, orderOutControl: mode }, !outHeldBack(mode, 'ERROR'));
      if (canceled) return endCanceled(mode);
    }
  }

  // The operator's changes, in order, until the decision is old enough that no black flag is expected any more.
  const keepOpenMs = msOf(options.keepOpenFor ?? '90 days');
  let decidedAt = Date.now();
  for (;;) {
    const decided = settled === FRAUD_STATUS.ok || settled === FRAUD_STATUS.ng;
    if (!queue.length) {
      const left = decidedAt + keepOpenMs - Date.now();
      if (!decided) await condition(() => queue.length > 0);
      else if ((left <= 0 || !(await condition(() => queue.length > 0, left))) && !queue.length) break;
    }
    const change = queue[0]!;
    const fields = change.kind === 'manual' ? { manualResult: change.result, manualMemo: change.memo ?? null }
      : change.kind === 'settle' ? { paymentStatus: SETTLE_STATUSES[change.settleStatus] } : { blackFlag: change.flag };
    try {
      await oplux.updateOpluxEvent({ shopId: order.shopId, eventId: s.eventId, change });
    } catch (err) {
      await waitForRelink(RELINK_KIND.update, err, fields);
      continue; // re-run the same change
    }
    queue.shift();
    if (change.kind === 'manual') {
      const word = MANUAL_WORD[change.result];
      settled = statusAfterManual(word);
      s.manualResult = change.result;
      decidedAt = Date.now();
      await record(settled, { processingResult: PROCESSING_RESULT.updated, ...fields }, !outHeldBack(mode, s.review!, word));
    } else if (change.kind === 'settle') {
      if (change.canceled) settled = FRAUD_STATUS.canceled;
      await record(settled, { processingResult: PROCESSING_RESULT.updated, ...fields }, false);
      if (change.canceled) break; // O-PLUX knows: the review of a canceled order ends
    } else {
      s.blackFlag = change.flag;
      await record(settled, { processingResult: PROCESSING_RESULT.updated, ...fields }, false);
    }
  }
  await condition(allHandlersFinished);
  return s;

  /** Canceled before O-PLUX held an event for the order: the review ends here, nothing to tell O-PLUX. */
  async function endCanceled(mode: Parameters<typeof outHeldBack>[0] | undefined): Promise<FraudReviewState> {
    await record(FRAUD_STATUS.canceled, {
      processingResult: s.processingResult ?? PROCESSING_RESULT.reviewError, paymentStatus: SETTLE_STATUSES['99'], orderOutControl: mode,
    }, false);
    await condition(allHandlersFinished);
    return s;
  }
}

/** O-PLUXエラーメッセージ for a call whose retries are spent: O-PLUX's own words, or the timeout text. */
export function failureMessage(err: unknown): string {
  if (!(err instanceof ActivityFailure)) throw err;
  const cause = err.cause;
  if (cause instanceof TimeoutFailure) return TIMEOUT_MESSAGE;
  if (cause instanceof ApplicationFailure) return errorMessage(cause.type === 'OpluxTimeout' ? TIMEOUT_MESSAGE : cause.message);
  return errorMessage(cause?.message ?? err.message);
}
