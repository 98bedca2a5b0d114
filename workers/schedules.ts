import { Client, Connection, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import type { WorkerConfig } from '../common/config';
import { createLogger } from '../common/logger';
import { amazonPayReviewReportWorkflow } from '../workflows/amazon-pay-review-report';

const log = createLogger('schedules');

export const reviewReportScheduleId = (shopId: string) => `amazon-pay-review-report:${shopId}`;

/**
 * The periodic jobs, created once and left alone when they exist (an operator may have paused or retimed one in the
 * Web UI). The review report runs hourly and skips a run while the previous one is still going.
 */
export async function ensureSchedules(config: WorkerConfig): Promise<void> {
  if (!config.AMAZONPAY_PRIVATE_KEY_FILE) return;
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  try {
    await client.schedule.create({
      scheduleId: reviewReportScheduleId(config.SHOP_ID),
      spec: { intervals: [{ every: '1 hour' }] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
      action: { type: 'startWorkflow', workflowType: amazonPayReviewReportWorkflow, args: [config.SHOP_ID], taskQueue: config.TEMPORAL_TASK_QUEUE },
    });
    log.info('schedule created', { id: reviewReportScheduleId(config.SHOP_ID) });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  } finally {
    await connection.close();
  }
}
