import { ActivityFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { AmountChangeResult, createOrderCancelActivities } from '../activities/order-cancel-activities';
import type { PaymentRef } from './order-cancel-messages';
import { localIo, paymentApi } from './retry-policies';
import { stepKey } from './workflow-ids';

type Activities = ReturnType<typeof createOrderCancelActivities>;
const provider = proxyActivities<Activities>(paymentApi);
const local = proxyActivities<Activities>(localIo);

export interface AmountChangeRequest {
  shopId: string;
  orderId: string;
  payment: PaymentRef;
  /** the order's new total */
  amountJpy: number;
}

/**
 * An amount change after authorization: sent to the payment provider when the payment method's 金額変更API連携フラグ
 * is on (GMO-PG ChangeTran; Amazon Pay within its rules), recorded on the order whatever came of it.
 */
export async function orderAmountChangeWorkflow(req: AmountChangeRequest): Promise<AmountChangeResult> {
  const order = { shopId: req.shopId, orderId: req.orderId };
  let result: AmountChangeResult;
  try {
    if (!(await local.amountChangeLinked({ shopId: req.shopId, paymentMethod: req.payment.method }))) {
      result = { outcome: 'not-linked', detail: '金額変更API連携フラグ: 連携しない' };
    } else if (req.payment.gmoPgOrderId) {
      result = await provider.amountChangeGmoPg({ shopId: req.shopId, gmoPgOrderId: req.payment.gmoPgOrderId, amountJpy: req.amountJpy });
    } else if (req.payment.amazonPayChargeId) {
      result = await provider.amountChangeAmazonPay({
        shopId: req.shopId, orderId: req.orderId, chargeId: req.payment.amazonPayChargeId, amountJpy: req.amountJpy, idempotencyKey: stepKey(workflowInfo().workflowId, 'refund', 0),
      });
    } else {
      result = { outcome: 'manual', detail: 'renkei has no client for this payment method: change the amount at the provider by hand' };
    }
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    result = { outcome: 'failed', detail: err.cause?.message ?? err.message };
  }
  await local.amountChangeRecord({ ...order, amountJpy: req.amountJpy, ...result });
  return result;
}
