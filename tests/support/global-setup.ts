import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { temporalCliPath, temporalTestServerPath } from '../../common/temporal-binaries';

export const BUNDLE_PATH = path.resolve(__dirname, '../../.data/test/workflow-bundle.js');

/** Once per run: check the Temporal binaries are installed and bundle the workflows that every test worker loads. */
export default async function globalSetup(): Promise<void> {
  temporalCliPath();
  temporalTestServerPath();
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quietLogger });
  mkdirSync(path.dirname(BUNDLE_PATH), { recursive: true });
  writeFileSync(BUNDLE_PATH, code);
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };
