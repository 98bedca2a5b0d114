import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../support/workflow-bundle';

/**
 * Open cancellations and amount changes replay against the code deployed next. These histories were recorded with
 * the processes as they were before the payment provider interface (commit 3df6e2e~1), by that commit's own tests:
 * GMO-PG VOID and RETURN, a failed cancel decided "cancel locally", reminders then "leave" and a second cycle, a lost
 * answer, an admin-screen cancel, a manual method, a flag off, Amazon Pay recurring child and parent; amount changes
 * at GMO-PG and Amazon Pay. A new activity, timer or wait outside `patched('payment-provider-interface')` fails here
 * with a nondeterminism error.
 */
const dir = path.resolve(__dirname, 'histories');
const histories = readdirSync(dir).filter((f) => /^order-(cancel|amount-change)-.*\.history\.pb$/.test(f));

test('the recorded histories are there', () => {
  expect(histories.filter((f) => f.startsWith('order-cancel-')).length).toBeGreaterThanOrEqual(8);
  expect(histories.filter((f) => f.startsWith('order-amount-change-')).length).toBeGreaterThanOrEqual(4);
});

test.each(histories)('%s replays against the current workflow code', async (file) => {
  const history = temporal.api.history.v1.History.decode(readFileSync(path.join(dir, file)));
  await expect(Worker.runReplayHistory({ workflowBundle }, history, file)).resolves.toBeUndefined();
});
