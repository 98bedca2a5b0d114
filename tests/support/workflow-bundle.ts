import path from 'node:path';

/** The workflow bundle global-setup built for this run (its path travels in the environment to the test files). */
export const workflowBundle = {
  codePath: process.env.RENKEI_TEST_WORKFLOW_BUNDLE ?? path.resolve(__dirname, '../../.data/test/workflow-bundle.js'),
};
