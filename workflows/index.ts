/** Every workflow the renkei worker runs. */
export { auPayShipmentWorkflow } from './au-pay-shipment';
export { amazonPayAuthorizationWorkflow } from './amazon-pay-authorization';
export { amazonPayChargeStateWorkflow } from './amazon-pay-charge-state';
export { amazonPayReviewReportWorkflow } from './amazon-pay-review-report';
export { amazonPayRecurringWorkflow } from './amazon-pay-recurring';
export { yahooPayMethodWindowWorkflow } from './yahoo-pay-method-window';
export { yahooWindowSweepWorkflow } from './yahoo-window-sweep';
export { opluxFraudReviewWorkflow } from './oplux-fraud-review';
export { opluxEventUpdateWorkflow } from './oplux-event-update';
export { mailThrottleSummariesWorkflow } from './mail-throttle-summaries';
export { orderOutDeliveryWorkflow } from './order-out-delivery';
export { orderOutDispatcherWorkflow } from './order-out-dispatcher';
export { orderCancelWorkflow } from './order-cancel';
export { apiKeyRemindersWorkflow } from './api-key-reminders';
export { orderAmountChangeWorkflow } from './order-amount-change';
export { orderCaptureWorkflow } from './order-capture';
export { bulkActionWorkflow } from './bulk-action';
