import { proxyActivities } from '@temporalio/workflow';
import type { SweepResult, YahooWindowActivities } from '../activities/yahoo-window-activities';

/** One activity pages through every match; it heartbeats its page, so a retry goes on where it stopped. */
const { sweepYahooWindows } = proxyActivities<YahooWindowActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '2m', maximumAttempts: 5 },
});

/**
 * Yahoo has no push: this sweep, run by a Temporal Schedule, finds the shop's オーソリエラー orders still in their
 * window and the orders whose change completed (seed 002's two recipes over the same deadline range), and starts or
 * signals one window workflow per order. A repeated sweep changes nothing.
 */
export async function yahooWindowSweepWorkflow(shopId: string): Promise<SweepResult> {
  return sweepYahooWindows({ shopId, at: new Date(Date.now()).toISOString() });
}

/** The sweep an operator asks for (POST /shops/:shopId/yahoo/sweep): one id per shop, so a second ask finds it running. */
export const yahooManualSweepWorkflowId = (shopId: string): string => `yahoo-window-sweep-now:${shopId}`;
