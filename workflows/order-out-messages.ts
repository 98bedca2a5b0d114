import { defineQuery, defineSignal } from '@temporalio/workflow';

/** New rows for this order, or a failed row reopened by an operator: look again. */
export const outboxWrittenSignal = defineSignal<[]>('outboxWritten');

export interface OrderOutState {
  delivered: number;
  /** the row that holds the order's deliveries back, when one failed */
  heldBy: string | null;
}
export const orderOutStateQuery = defineQuery<OrderOutState>('orderOutState');
