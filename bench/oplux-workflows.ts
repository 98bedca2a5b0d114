/** The O-PLUX bench worker's workflows: the real fraud review beside the no-op baseline, in one bundle on one worker. */
export { opluxFraudReviewWorkflow } from '../workflows/oplux-fraud-review';
export { baselineWorkflow } from './baseline-workflow';
