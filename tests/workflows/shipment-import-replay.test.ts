import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../support/workflow-bundle';

/**
 * Shipment imports open at a deploy replay against the code deployed next. These histories were recorded by
 * `RECORD_SHIPMENT_IMPORT_HISTORIES=1` on tests/workflows/shipment-import.test.ts: a row of each kind, a cancel with
 * rows in flight, a row whose retries ran out. A new activity, timer or wait outside `patched(...)` fails here with a
 * nondeterminism error.
 */
const dir = path.resolve(__dirname, 'histories');
const histories = readdirSync(dir).filter((f) => f.startsWith('shipment-import-') && f.endsWith('.history.pb'));

test('the recorded histories are there', () => {
  expect(histories.length).toBeGreaterThanOrEqual(3);
});

test.each(histories)('%s replays against the current workflow code', async (file) => {
  const history = temporal.api.history.v1.History.decode(readFileSync(path.join(dir, file)));
  await expect(Worker.runReplayHistory({ workflowBundle }, history, file)).resolves.toBeUndefined();
});
