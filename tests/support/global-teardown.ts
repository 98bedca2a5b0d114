import { rmSync } from 'node:fs';

/** The run's workflow bundle goes with the run. */
export default function globalTeardown(): void {
  const bundle = process.env.RENKEI_TEST_WORKFLOW_BUNDLE;
  if (bundle) rmSync(bundle, { force: true });
}
