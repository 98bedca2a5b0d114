/**
 * One payment provider as the order processes see it (the shape of Medusa's payment providers): cancel, refund,
 * capture, change the amount, read a status. The cancellation, the amount change and the capture on shipment call
 * these through the registry (payments/registry.ts) and never branch on the provider; a new provider is one adapter
 * and one registry line. Everything here is plain data (no secrets): it goes through workflow history.
 *
 * Adapters run in activities. A failure that retrying cannot fix is thrown as a non-retryable ApplicationFailure of
 * type ProviderRefused (worded for the operator); anything else is thrown as it is and retried by Temporal.
 */

/** Where a payment stands after a call, in the provider's own words and as the processes read it. */
export interface PaymentStatusView {
  /** the provider's object: GMO-PG OrderID, Amazon Pay chargeId or refundId */
  id: string;
  /** the provider's state, as it names it (AUTH, SALES, VOID …; Authorized, CaptureInitiated, Refunded …) */
  state: string;
  /** pending: still moving (follow it); succeeded / failed: final */
  phase: 'pending' | 'succeeded' | 'failed';
  reasonCode: string | null;
  /** ISO instant of the last change, when the provider says */
  changedAt: string | null;
  /** the money it is about, in yen, when the provider says */
  amountJpy: number | null;
}

/** What a cancel did. `captured`: money was taken and cancel cannot give it back: the process refunds instead. */
export type CancelOutcome =
  | { outcome: 'canceled' | 'already-canceled' | 'not-charged'; detail: string | null }
  | { outcome: 'captured'; detail: string | null; capturedJpy: number };

/** What an amount change did at the provider. */
export interface AmountChangeResult {
  outcome: 'changed' | 'unchanged' | 'capture-less' | 'refunded' | 'not-linked' | 'manual' | 'failed';
  detail: string | null;
}

/** The calls every provider answers. `ref` is the provider's id of the order's payment (see refOf). */
export interface PaymentProvider {
  /** the provider's id, as payment_method_settings.provider names it */
  readonly id: string;
  /** the provider's id of an order's payment, from the ids the order gives (undefined: none given) */
  refOf(payment: PaymentIds): string | undefined;
  /** cancel the authorization (or the whole trade); `captured` when only a refund can give the money back */
  cancel(shopId: string, ref: string): Promise<CancelOutcome>;
  /** refund `amountJpy`, or all that was taken; the view of the refund, to be followed with readStatus('refund') */
  refund(shopId: string, ref: string, o: { amountJpy?: number; idempotencyKey: string }): Promise<PaymentStatusView>;
  /** capture `amountJpy`, or all that was authorized; the view of the charge, to be followed with readStatus('charge') */
  capture(shopId: string, ref: string, o: { amountJpy?: number; idempotencyKey: string }): Promise<PaymentStatusView>;
  /** the order's total is now `amountJpy` (after authorization) */
  changeAmount(shopId: string, ref: string, o: { orderId: string; amountJpy: number; idempotencyKey: string }): Promise<AmountChangeResult>;
  /** the payment (`charge`) or one of its refunds (`refund`, id = the refund's id) as it stands now */
  readStatus(shopId: string, kind: 'charge' | 'refund', id: string): Promise<PaymentStatusView>;
}

/** Provider ids of an order's payment: never secrets. */
export interface PaymentIds {
  gmoPgOrderId?: string;
  amazonPayChargeId?: string;
  /** any other provider's id of the payment */
  providerRef?: string;
}
