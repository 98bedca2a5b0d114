/** Every workflow the renkei worker runs. */
export { auPayShipmentWorkflow } from './au-pay-shipment';
