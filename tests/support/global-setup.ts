import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { temporalCliPath, temporalTestServerPath } from '../../common/temporal-binaries';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../../workers/create-worker';



/** Once per run: check the Temporal binaries are installed and bundle the workflows that every test worker loads. */
export default async function globalSetup(): Promise<void> {
  temporalCliPath();
  temporalTestServerPath();
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES, logger: quietLogger });
  // One bundle per run, so two runs side by side never load each other's half-written file.
  const bundlePath = path.resolve(__dirname, `../../.data/test/workflow-bundle-${process.pid}.js`);
  mkdirSync(path.dirname(bundlePath), { recursive: true });
  writeFileSync(bundlePath, code);
  process.env.RENKEI_TEST_WORKFLOW_BUNDLE = bundlePath;
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };
