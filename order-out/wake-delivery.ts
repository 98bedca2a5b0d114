import type { Client } from '@temporalio/client';
import { orderOutDeliveryWorkflow } from '../workflows/order-out-delivery';
import { outboxWrittenSignal } from '../workflows/order-out-messages';
import { orderOutDeliveryWorkflowId } from '../workflows/workflow-ids';
import { orderOutStartAttributes } from './start-attributes';

/** Where the order data OUT deliveries run; absent, the dispatcher's next poll finds the rows instead. */
export interface DeliveryTemporal {
  client: Client;
  taskQueue: string;
  /** whether the shop takes order data OUT (has an external system); absent: every shop is woken */
  delivers?: (shopId: string) => Promise<boolean>;
}

/** The deliveries' Temporal, waking only the shops whose external system `externalSystem` finds. */
export function deliveringTo(temporal: Omit<DeliveryTemporal, 'delivers'>, externalSystem: (shopId: string) => unknown): DeliveryTemporal {
  // read through, not copied: a test's Temporal may exist only after the worker is built
  return {
    get client() { return temporal.client; },
    get taskQueue() { return temporal.taskQueue; },
    delivers: async (shopId) => Boolean(await externalSystem(shopId)),
  };
}

/**
 * Wakes (or starts) the order's delivery after its order data OUT rows changed, so they go out now rather than at the
 * dispatcher's next poll. The one way every process hands its rows to the delivery.
 */
export async function wakeOrderOutDelivery(temporal: DeliveryTemporal | undefined, shopId: string, orderId: string): Promise<void> {
  if (!temporal) return;
  // a shop without an external system: its rows wait, pending, for the dispatcher (no workflow per change for nothing)
  if (temporal.delivers && !(await temporal.delivers(shopId))) return;
  await temporal.client.workflow.signalWithStart(orderOutDeliveryWorkflow, {
    workflowId: orderOutDeliveryWorkflowId(shopId, orderId), taskQueue: temporal.taskQueue,
    args: [{ shopId, orderId }], signal: outboxWrittenSignal, signalArgs: [], typedSearchAttributes: orderOutStartAttributes(shopId, orderId),
  });
}
