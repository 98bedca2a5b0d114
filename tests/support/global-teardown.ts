import { rmSync } from 'node:fs';

/** The run's workflow bundle and PGlite template go with the run. */
export default function globalTeardown(): void {
  for (const file of [process.env.RENKEI_TEST_WORKFLOW_BUNDLE, process.env.RENKEI_TEST_PGLITE_TEMPLATE]) {
    if (file) rmSync(file, { force: true });
  }
}
