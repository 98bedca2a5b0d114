import { condition, defineSignal, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { BaselineActivities } from './baseline-workflow';

/** What wakes the twin, as an IPN's signal wakes an authorization. */
export const wakeSignal = defineSignal('wake');

const { noop } = proxyLocalActivities<BaselineActivities>({ startToCloseTimeout: '15s' });

/**
 * The IPN path's twin (bench/ipn-twin.ts): waits for one signal, then runs `localSteps` no-op local activities (as many
 * as the authorization runs after an IPN: the charge's read, the result's record) and ends. What it costs is the
 * engine's own: the signal, one workflow task, the local activities' round trips, the completion.
 */
export async function signalTwinWorkflow(localSteps: number): Promise<number> {
  let woken = false;
  setHandler(wakeSignal, () => void (woken = true));
  await condition(() => woken);
  for (let i = 0; i < localSteps; i += 1) await noop();
  return localSteps;
}
