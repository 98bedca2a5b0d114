import path from 'node:path';

/** The workflow bundle global-setup built for this run. */
export const workflowBundle = { codePath: path.resolve(__dirname, '../../.data/test/workflow-bundle.js') };
