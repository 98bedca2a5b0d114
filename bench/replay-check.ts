import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { replayHistories } from '../tests/support/replay-histories';

/**
 * Every history a bench run made, replayed against the bundle it ran on: hundreds of real interleavings (signals and
 * activity results in one task, local activities, patches) that the recorded histories of the tests may not hold.
 * Returns one line per history that fails to replay.
 */
export async function unreplayable(code: string, handles: WorkflowHandle[]): Promise<string[]> {
  const histories = [];
  for (const h of handles) {
    const history = (await h.fetchHistory()) as temporal.api.history.v1.History;
    histories.push({ file: h.workflowId, history, workflowType: '' });
  }
  const results = await replayHistories({ workflowBundle: { code } }, histories);
  return results.filter((r) => r.error).map((r) => `${r.file}: ${r.error!.name}: ${r.error!.message.split('\n')[0]}`);
}
