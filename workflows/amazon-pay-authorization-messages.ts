import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { PaymentStatus } from './amazon-pay-review';

/** An IPN named this order's charge. It carries no state: the workflow reads the charge (§7.2). */
export const chargeNotifiedSignal = defineSignal<[{ chargeId: string }]>('chargeNotified');

export interface AuthorizationState {
  paymentStatus: PaymentStatus;
  chargeId: string | null;
  chargeState: string | null;
  checks: number;
}
export const authorizationStateQuery = defineQuery<AuthorizationState>('authorizationState');

/** The order whose charge changed after its review: the charge-state workflow reads it and records the change. */
export interface ChargeStateRequest {
  shopId: string;
  orderId: string;
  chargeId: string;
}

/** One charge-state workflow per charge at a time, so its reads and records come in order. */
export const amazonPayChargeStateWorkflowId = (shopId: string, chargeId: string): string => `amazon-pay-charge-state:${shopId}:${chargeId}`;
