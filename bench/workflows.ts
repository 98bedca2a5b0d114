/** The bench worker's workflows: the real au PAY chain beside the no-op baseline, in one bundle on one worker. */
export { auPayShipmentWorkflow } from '../workflows';
export { baselineWorkflow } from './baseline-workflow';
