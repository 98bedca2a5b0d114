import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ActedBy } from './acted-by';
import type { PlanInterval } from './amazon-pay-recurring-plan';

/** An IPN named the parent's ChargePermission; the workflow reads it (BuyerClosed, PaymentMethodInvalid, Chargeable). */
export const chargePermissionNotifiedSignal = defineSignal<[]>('chargePermissionNotified');

/** `failed`: the process itself failed (recorded on the row by the failure interceptor; the workflow never sets it). */
export type RecurringStatus = 'active' | 'paused' | 'closed' | 'expired' | 'buyer-closed' | 'failed';

export interface RecurringView {
  status: RecurringStatus;
  cycle: number;
  nextChargeAt: string;
  chargedThisMonthJpy: number;
  expiresAt: string;
  amountJpy: number;
  interval: PlanInterval;
}
export const recurringStateQuery = defineQuery<RecurringView>('recurringState');

/** Skip the next child; answers the date of the child that is skipped. */
export const skipNextChildUpdate = defineUpdate<{ skipped: string }, [ActedBy]>('skipNextChild');
/** Change amount or interval; refused with the reason when the new plan breaks the cap or the 13-month rule. */
export const changePlanUpdate = defineUpdate<RecurringView, [{ amountJpy?: number; interval?: PlanInterval }, ActedBy?]>('changePlan');
/** Cancel one child's charge at Amazon (a child may be canceled; the parent only by closing). */
export const cancelChildUpdate = defineUpdate<{ cycle: number; chargeState: string }, [number, ActedBy?]>('cancelChild');
/** A child authorized without capture (captureNow false) has shipped: capture its charge now. */
export const childShippedUpdate = defineUpdate<{ cycle: number; chargeState: string }, [number, ActedBy?]>('childShipped');
/** The merchant closes the parent: the ChargePermission is closed at Amazon and the workflow ends. */
export const closeParentUpdate = defineUpdate<RecurringView, [string, ActedBy?]>('closeParent');
