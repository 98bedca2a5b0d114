import * as workflows from '../../workflows';
import { recordedHistories, replayHistories } from '../support/replay-histories';
import { workflowBundle } from '../support/workflow-bundle';

/**
 * Replay before every deploy: every history recorded from the tests (tests/workflows/histories, refreshed with
 * RECORD_HISTORIES=1, see the README) replays against the workflow code as it is now. Open executions in production
 * replay the same way on the next deploy, so a change of commands outside `patched(...)` fails here first, naming the
 * file, instead of failing every open order of that kind.
 */
const histories = recordedHistories();

test('every recorded history replays against the current workflow bundle without a nondeterminism error', async () => {
  const results = await replayHistories({ workflowBundle }, histories);
  expect(results.map((r) => r.file).sort()).toEqual(histories.map((h) => h.file).sort()); // each one replayed
  const failures = results.filter((r) => r.error).map((r) => `${r.file}: ${r.error!.name}: ${r.error!.message}`);
  expect(failures).toEqual([]);
});

test('every workflow type the worker runs has at least one recorded history', () => {
  const recorded = new Set(histories.map((h) => h.workflowType));
  const missing = Object.keys(workflows).filter((type) => !recorded.has(type));
  expect(missing).toEqual([]); // a new workflow type: record its main paths (README: Replaying recorded histories)
});
