import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../support/workflow-bundle';

/**
 * Open au PAY chains in production replay against the code deployed next. These histories were recorded with the
 * chain as it was before it read the shop's settings (commit 52c0978): success, an error reset to 空欄 after a
 * corrected report, an order marked done by hand, and one still waiting at 出荷情報反映エラー. Replaying them must
 * make the same commands; a new activity, timer or wait outside `patched('au-pay-shop-settings')` fails here with a
 * nondeterminism error. Add a history here whenever the chain's commands change.
 */
const dir = path.resolve(__dirname, 'histories');
const histories = readdirSync(dir).filter((f) => f.startsWith('au-pay-shipment-') && f.endsWith('.history.pb'));

test('the recorded histories are there', () => {
  expect(histories.length).toBeGreaterThanOrEqual(4);
});

test.each(histories)('%s replays against the current workflow code', async (file) => {
  const history = temporal.api.history.v1.History.decode(readFileSync(path.join(dir, file)));
  await expect(Worker.runReplayHistory({ workflowBundle }, history, file)).resolves.toBeUndefined();
});
