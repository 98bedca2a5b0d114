import path from 'node:path';
import { ensureWorkflowBundle } from '../workers/workflow-bundle';

/**
 * `npm run build`'s last step: the workflow bundle beside the compiled code (dist/workflow-bundle.js), so the
 * production worker (WORKER_WORKFLOW_BUNDLE, set in the image) starts without webpack.
 */
const target = process.argv[2] ?? path.resolve(__dirname, '../workflow-bundle.js');
ensureWorkflowBundle(target).then(
  (r) => process.stdout.write(`workflow bundle ${target} (${r.rebuilt ? 'built' : 'up to date'})\n`),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
