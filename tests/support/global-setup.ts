import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { temporalCliPath, temporalTestServerPath } from '../../common/temporal-binaries';
import { ensureWorkflowBundle } from '../../workers/workflow-bundle';
import { PGLITE_TEMPLATE_ENV, writePgliteTemplate } from './pglite-template';

/**
 * Once per run: check the Temporal binaries are installed, bundle the workflows that every test worker loads, and make
 * the migrated PGlite template every embedded test database starts from.
 */
export default async function globalSetup(): Promise<void> {
  temporalCliPath();
  temporalTestServerPath();
  // rebuilt only when a workflow source changed (the second CI pass reuses the first's), then copied: one bundle per
  // run, so a run never loads code another run (of other sources) bundled after it started
  const cached = path.resolve(__dirname, '../../.data/test/workflow-bundle.js');
  await ensureWorkflowBundle(cached);
  const bundlePath = path.resolve(__dirname, `../../.data/test/workflow-bundle-${process.pid}.js`);
  mkdirSync(path.dirname(bundlePath), { recursive: true });
  copyFileSync(cached, bundlePath);
  process.env.RENKEI_TEST_WORKFLOW_BUNDLE = bundlePath;
  // the embedded pass: one migrated PGlite, dumped, that every test database starts from
  if (!process.env.DATABASE_URL) {
    const template = path.resolve(__dirname, `../../.data/test/pglite-template-${process.pid}.tar`);
    await writePgliteTemplate(template);
    process.env[PGLITE_TEMPLATE_ENV] = template;
  }
}
