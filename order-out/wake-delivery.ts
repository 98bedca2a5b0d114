import type { Client } from '@temporalio/client';
import { orderOutDeliveryWorkflow } from '../workflows/order-out-delivery';
import { outboxWrittenSignal } from '../workflows/order-out-messages';
import { orderOutDeliveryWorkflowId } from '../workflows/workflow-ids';

/** Where the order data OUT deliveries run; absent, the dispatcher's next poll finds the rows instead. */
export interface DeliveryTemporal {
  client: Client;
  taskQueue: string;
}

/**
 * Wakes (or starts) the order's delivery after its order data OUT rows changed, so they go out now rather than at the
 * dispatcher's next poll. The one way every process hands its rows to the delivery.
 */
export async function wakeOrderOutDelivery(temporal: DeliveryTemporal | undefined, shopId: string, orderId: string): Promise<void> {
  if (!temporal) return;
  await temporal.client.workflow.signalWithStart(orderOutDeliveryWorkflow, {
    workflowId: orderOutDeliveryWorkflowId(shopId, orderId), taskQueue: temporal.taskQueue,
    args: [{ shopId, orderId }], signal: outboxWrittenSignal, signalArgs: [],
  });
}
