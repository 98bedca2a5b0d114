/** The `npm run bench` worker's workflows: every renkei workflow beside the no-op twin, in one bundle on one worker. */
export * from '../workflows';
export { baselineWorkflow } from './baseline-workflow';
