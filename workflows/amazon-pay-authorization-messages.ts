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
