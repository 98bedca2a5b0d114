import { ActivityFailure, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { AmountChangeActivities, AmountChangeResult } from '../activities/amount-change-activities';
import type { PaymentActivities } from '../activities/payment-activities';
import type { PaymentRef } from './order-cancel-messages';
import { orderAttributes } from './order-status-attributes';
import { localIo, paymentApi } from './retry-policies';
import { AMOUNT_CHANGE_STATUS } from './search-attributes';
import { stepKey } from './workflow-ids';

const provider = proxyActivities<AmountChangeActivities>(paymentApi);
const payments = proxyActivities<PaymentActivities>(paymentApi);
const local = proxyActivities<AmountChangeActivities>(localIo);

export interface AmountChangeRequest {
  shopId: string;
  orderId: string;
  payment: PaymentRef;
  /** the order's new total */
  amountJpy: number;
}

/**
 * An amount change after authorization: sent to the payment provider when the payment method's 金額変更API連携フラグ
 * is on (through the provider interface: GMO-PG ChangeTran; Amazon Pay within its rules), recorded on the order
 * whatever came of it.
 */
export async function orderAmountChangeWorkflow(req: AmountChangeRequest): Promise<AmountChangeResult> {
  const order = { shopId: req.shopId, orderId: req.orderId };
  const idempotencyKey = stepKey(workflowInfo().workflowId, 'refund', 0);
  let result: AmountChangeResult;
  try {
    if (patched('payment-provider-interface')) {
      const plan = await local.amountChangePlan({ shopId: req.shopId, payment: req.payment });
      result = plan.kind === 'none' ? plan.result
        : await payments.paymentChangeAmount({ shopId: req.shopId, provider: plan.provider, ref: plan.ref, orderId: req.orderId, amountJpy: req.amountJpy, idempotencyKey });
    } else {
      result = await legacyChange(req, idempotencyKey);
    }
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    result = { outcome: 'failed', detail: err.cause?.message ?? err.message };
  }
  await local.amountChangeRecord({ ...order, amountJpy: req.amountJpy, ...result });
  // the Web UI's AmountChangeStatus: changing (set at start) → the outcome, once stored; one upsert
  orderAttributes(() => patched('order-amount-change-search-attributes'), order)([{ key: AMOUNT_CHANGE_STATUS, value: result.outcome }]);
  return result;
}

/** The command sequence of before the payment interface, for histories recorded then. */
async function legacyChange(req: AmountChangeRequest, idempotencyKey: string): Promise<AmountChangeResult> {
  if (!(await local.amountChangeLinked({ shopId: req.shopId, paymentMethod: req.payment.method }))) {
    return { outcome: 'not-linked', detail: '金額変更API連携フラグ: 連携しない' };
  }
  if (req.payment.gmoPgOrderId) return provider.amountChangeGmoPg({ shopId: req.shopId, gmoPgOrderId: req.payment.gmoPgOrderId, amountJpy: req.amountJpy });
  if (req.payment.amazonPayChargeId) {
    return provider.amountChangeAmazonPay({ shopId: req.shopId, orderId: req.orderId, chargeId: req.payment.amazonPayChargeId, amountJpy: req.amountJpy, idempotencyKey });
  }
  return { outcome: 'manual', detail: 'renkei has no client for this payment method: change the amount at the provider by hand' };
}
