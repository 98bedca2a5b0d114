import { Client, Connection, ScheduleAlreadyRunning, ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import type { WorkerConfig } from '../config';
import { createLogger } from '../common/logger';
import { temporalConnectionOptions } from '../common/temporal-connection';
import { dataConverterFor, payloadCodecFromConfig } from '../common/payload-config';
import { mailThrottleSummariesWorkflow } from '../workflows/mail-throttle-summaries';
import { apiKeyRemindersWorkflow } from '../workflows/api-key-reminders';

const log = createLogger('schedules');

// each shop's own schedules (the Yahoo sweep, the Amazon Pay review report) follow the shops: shops/shop-schedules.ts
export { reviewReportScheduleId, yahooSweepScheduleId } from '../shops/shop-schedules';
export const MAIL_SUMMARIES_SCHEDULE_ID = 'mail-throttle-summaries';
export const API_KEY_REMINDERS_SCHEDULE_ID = 'api-key-reminders';

/** The deployment-wide schedules this configuration calls for (one each, not per shop). */
export function scheduleDefinitions(config: WorkerConfig): ScheduleOptions[] {
  const schedules: ScheduleOptions[] = [
    {
      // #1241: the summary of each ended throttle window, within a minute of its end
      scheduleId: MAIL_SUMMARIES_SCHEDULE_ID,
      spec: { intervals: [{ every: '1 minute' }] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
      action: { type: 'startWorkflow', workflowType: mailThrottleSummariesWorkflow, args: [], taskQueue: config.TEMPORAL_TASK_QUEUE },
    },
  ];
  if (config.ACCOUNTS_KEYS) {
    // au PAY API keys live 90 days: each morning (JST), remind the shops whose key ends within 14
    schedules.push({
      scheduleId: API_KEY_REMINDERS_SCHEDULE_ID,
      spec: { calendars: [{ hour: 9, minute: 0 }], timezone: 'Asia/Tokyo' },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
      action: { type: 'startWorkflow', workflowType: apiKeyRemindersWorkflow, args: [], taskQueue: config.TEMPORAL_TASK_QUEUE },
    });
  }
  return schedules;
}

/**
 * The deployment-wide periodic jobs, created once and left alone when they exist (an operator may have paused or
 * retimed one in the Web UI). Each skips a run while its previous one is still going. Each shop's own schedules are
 * synced with the shops (syncAllShopSchedules).
 */
export async function ensureSchedules(config: WorkerConfig): Promise<void> {
  const schedules = scheduleDefinitions(config);
  if (!schedules.length) return;
  const connection = await Connection.connect(temporalConnectionOptions(config));
  // a schedule's arguments are payloads too
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverterFor(payloadCodecFromConfig(config)) });
  try {
    for (const schedule of schedules) {
      try {
        await client.schedule.create(schedule);
        log.info('schedule created', { id: schedule.scheduleId });
      } catch (err) {
        if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      }
    }
  } finally {
    await connection.close();
  }
}
