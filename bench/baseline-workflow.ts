import { proxyActivities } from '@temporalio/workflow';

/** The one activity the baseline calls: it does nothing, so what is measured is Temporal's own cost per step. */
export interface BaselineActivities {
  noop(): Promise<void>;
}

// The same timeout as the chain's marketplace calls (workflows/retry-policies.ts), so both schedule alike.
const { noop } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '30s' });

/**
 * The floor the au PAY chain is compared with: `steps` no-op activities in sequence, as many as the chain's happy
 * path runs (pushShippingInfo, pushCompletion). Whatever the chain costs above this is its own work (HTTP to the
 * market, database writes, search-attribute upserts).
 */
export async function baselineWorkflow(steps: number): Promise<number> {
  for (let i = 0; i < steps; i += 1) await noop();
  return steps;
}
