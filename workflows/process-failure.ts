/**
 * The order processes whose failure is recorded on their order (status and reason, the shop mailed). Internal
 * workflows (sweeps, dispatchers, summaries) only log theirs. Workflow-safe: imported by the interceptor.
 */
export const ORDER_PROCESSES = [
  'auPayShipmentWorkflow', 'amazonPayAuthorizationWorkflow', 'amazonPayRecurringWorkflow', 'yahooPayMethodWindowWorkflow',
  'opluxFraudReviewWorkflow', 'orderCancelWorkflow', 'orderOutDeliveryWorkflow', 'orderAmountChangeWorkflow',
] as const;
export type OrderProcess = (typeof ORDER_PROCESSES)[number];

export interface ProcessFailure {
  process: OrderProcess;
  workflowId: string;
  reason: string;
}

/** Workflow ids are `<process>:<shop>:<order>[:…]` (workflow-ids.ts); shop ids hold no colon. */
export function orderOfWorkflowId(workflowId: string): { shopId: string; orderId: string } | undefined {
  const [, shopId, ...rest] = workflowId.split(':');
  return shopId && rest.length ? { shopId, orderId: rest.join(':') } : undefined;
}
