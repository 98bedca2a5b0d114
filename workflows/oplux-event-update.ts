import { proxyActivities } from '@temporalio/workflow';
import type { EventChange, OpluxReviewActivities } from '../activities/oplux-review-activities';
import type { OpluxReview } from '../oplux/codes';
import { SETTLE_STATUSES } from '../oplux/codes';
import { failureMessage, opluxApi } from './oplux-fraud-review';
import {
  FRAUD_STATUS, MANUAL_WORD, outHeldBack, PROCESSING_RESULT, statusAfterManual, type OrderOutControl,
} from './oplux-review-rules';
import { localIo } from './retry-policies';
import { opluxFraudReviewWorkflowId, stepKey } from './workflow-ids';

const oplux = proxyActivities<OpluxReviewActivities>(opluxApi);
const local = proxyActivities<OpluxReviewActivities>(localIo);

export interface EventUpdateInput {
  shopId: string;
  orderId: string;
  eventId: string;
  change: EventChange;
  /** the review as it ended, for a corrected 目視審査's status and 受注OUT制御 */
  reviewResult: OpluxReview;
  orderOutControl: OrderOutControl;
}

/**
 * One change to an order whose fraud review has ended (seed 001: the black flag, a corrected 目視審査, a payment
 * outcome or cancellation may come months later): sent with the event update API under the review's retries, then
 * recorded on the order. Retries spent: 更新エラー with O-PLUX's words and the error mail; the operator sends it again.
 */
export async function opluxEventUpdateWorkflow(i: EventUpdateInput): Promise<{ sent: boolean }> {
  const { shopId, orderId, change } = i;
  try {
    await oplux.updateOpluxEvent({ shopId, eventId: i.eventId, change });
  } catch (err) {
    const message = failureMessage(err);
    await local.recordOpluxChange({ shopId, orderId, processingResult: PROCESSING_RESULT.updateError, errorMessage: message });
    await local.sendOpluxErrorMail({ shopId, orderId, result: FRAUD_STATUS.updateError, message });
    return { sent: false };
  }
  if (change.kind === 'manual') {
    const word = MANUAL_WORD[change.result];
    await local.recordOpluxReview({
      shopId, orderId, status: statusAfterManual(word), processingResult: PROCESSING_RESULT.updated, errorMessage: null, relinkKind: null,
      manualResult: change.result, manualMemo: change.memo ?? null,
      // the review's own release key: an order released before is not released twice
      release: !outHeldBack(i.orderOutControl, i.reviewResult, word), releaseKey: stepKey(opluxFraudReviewWorkflowId(shopId, orderId), 'release', 0),
    });
  } else {
    await local.recordOpluxChange({
      shopId, orderId, processingResult: PROCESSING_RESULT.updated, errorMessage: null,
      ...(change.kind === 'black' ? { blackFlag: change.flag }
        : { paymentStatus: SETTLE_STATUSES[change.settleStatus], ...(change.canceled ? { status: FRAUD_STATUS.canceled } : {}) }),
    });
  }
  return { sent: true };
}
