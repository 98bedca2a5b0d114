import { ActivityFailure, ApplicationFailure, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { OrderCaptureActivities } from '../activities/order-capture-activities';
import type { PaymentActivities } from '../activities/payment-activities';
import type { PaymentStatusView } from '../payments/provider';
import { localIo, paymentApi } from './retry-policies';
import { stepKey } from './workflow-ids';

const payments = proxyActivities<PaymentActivities>(paymentApi);
const local = proxyActivities<OrderCaptureActivities>(localIo);

/** How long a pending capture (Amazon Pay CaptureInitiated) is followed before it is left to the provider's IPN. */
const FOLLOW_CAPTURE_MS = 7 * 24 * 60 * 60 * 1000;

export interface OrderCaptureInput {
  shopId: string;
  orderId: string;
  /** the payment provider (payments/registry.ts) and its id of the order's payment */
  provider: string;
  ref: string;
  /** capture less than was authorized (the shipped total); all of it when absent */
  amountJpy?: number;
}

export interface OrderCaptureResult {
  state: string;
  phase: 'pending' | 'succeeded' | 'failed';
  reasonCode: string | null;
  /** a provider refusal, in its words */
  error: string | null;
}

/**
 * 出荷時売上確定: the order shipped, so its authorization is captured through the payment provider interface; a
 * pending capture (CaptureInitiated) is followed with durable timers until Captured or Declined. Each state the
 * order's payment reaches is recorded on the order with its order data OUT row (#1319: update, then OUT), once.
 */
export async function orderCaptureWorkflow(input: OrderCaptureInput): Promise<OrderCaptureResult> {
  const at = { shopId: input.shopId, provider: input.provider };
  const order = { ...at, orderId: input.orderId };
  let view: PaymentStatusView;
  try {
    view = await payments.paymentCapture({
      ...at, ref: input.ref, idempotencyKey: stepKey(workflowInfo().workflowId, 'capture', 0), ...(input.amountJpy !== undefined ? { amountJpy: input.amountJpy } : {}),
    });
  } catch (err) {
    if (!(err instanceof ActivityFailure) || !(err.cause instanceof ApplicationFailure) || !err.cause.nonRetryable) throw err;
    await local.captureRecordRefusal({ ...order, error: err.cause.message });
    return { state: 'refused', phase: 'failed', reasonCode: null, error: err.cause.message };
  }
  await local.captureRecordState({ ...order, view });
  const started = Date.now();
  for (let polls = 0; view.phase === 'pending' && Date.now() - started < FOLLOW_CAPTURE_MS; polls += 1) {
    await sleep(polls < 6 ? '10 minutes' : '1 hour');
    const next = await payments.paymentReadStatus({ ...at, kind: 'charge', id: view.id });
    if (next.state !== view.state) await local.captureRecordState({ ...order, view: next });
    view = next;
  }
  return { state: view.state, phase: view.phase, reasonCode: view.reasonCode, error: null };
}
