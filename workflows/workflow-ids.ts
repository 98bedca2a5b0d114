/** Workflow ids come from business keys, so a repeated start finds the running workflow instead of a twin. */
export const auPayShipmentWorkflowId = (shopId: string, orderId: string): string => `au-pay-shipment:${shopId}:${orderId}`;

/** Idempotency keys come from the workflow id, the step and the cycle (an operator's reset starts a new cycle). */
export const stepKey = (workflowId: string, step: string, cycle: number): string => `${workflowId}:${step}:${cycle}`;

export const amazonPayAuthorizationWorkflowId = (shopId: string, orderId: string): string => `amazon-pay-authorization:${shopId}:${orderId}`;
export const amazonPayRecurringWorkflowId = (shopId: string, parentOrderId: string): string => `amazon-pay-recurring:${shopId}:${parentOrderId}`;
export const yahooPayMethodWindowWorkflowId = (shopId: string, orderId: string): string => `yahoo-pay-method-window:${shopId}:${orderId}`;
export const opluxFraudReviewWorkflowId = (shopId: string, orderId: string): string => `oplux-fraud-review:${shopId}:${orderId}`;
export const orderOutDeliveryWorkflowId = (shopId: string, orderId: string): string => `order-out:${shopId}:${orderId}`;
export const ORDER_OUT_DISPATCHER_WORKFLOW_ID = 'order-out-dispatcher';
export const orderCancelWorkflowId = (shopId: string, orderId: string): string => `order-cancel:${shopId}:${orderId}`;
/** 出荷時売上確定: one capture per order. */
export const orderCaptureWorkflowId = (shopId: string, orderId: string): string => `order-capture:${shopId}:${orderId}`;
export const orderAmountChangeWorkflowId = (shopId: string, orderId: string, amountJpy: number): string => `order-amount-change:${shopId}:${orderId}:${amountJpy}`;
export const bulkActionWorkflowId = (shopId: string, bulkId: string): string => `bulk-action:${shopId}:${bulkId}`;
export const shipmentImportWorkflowId = (shopId: string, importId: string): string => `shipment-import:${shopId}:${importId}`;
