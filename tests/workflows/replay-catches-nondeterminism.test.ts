import { bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { recordedHistories, replayHistories } from '../support/replay-histories';

/**
 * The replay check of recorded-histories-replay.test.ts catches what it is there for: the au PAY chain's recorded
 * history against a chain that starts with a timer of its own (tests/workflows/fixtures) fails with a
 * DeterminismViolationError, reported under its file's name.
 */
let workflowBundle: WorkflowBundle;
beforeAll(async () => {
  workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./fixtures/nondeterministic-au-pay-shipment'), logger: quietLogger });
});

test('a timer added before the chain\'s first command, outside patched(): a recorded au PAY chain fails to replay', async () => {
  // a chain that reported its shipment and completed, recorded before the chain read the shop's settings
  const histories = recordedHistories(['au-pay-shipment-completed.history.pb']);
  expect(histories[0]!.workflowType).toBe('auPayShipmentWorkflow');
  const [result] = await replayHistories({ workflowBundle }, histories);
  expect(result!.file).toBe('au-pay-shipment-completed.history.pb');
  expect(result!.error).toBeInstanceOf(DeterminismViolationError);
  expect(result!.error!.message).toMatch(/nondeterminism/i);
});

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };
