import { proxyActivities } from '@temporalio/workflow';
import type { createMailActivities } from '../activities/mail-activities';
import { localIo } from './retry-policies';

const mail = proxyActivities<ReturnType<typeof createMailActivities>>(localIo);

/** Run by a schedule: the summary mail of every throttle window that has ended and held mails back (#1241). */
export async function mailThrottleSummariesWorkflow(): Promise<number> {
  return mail.sendThrottleSummaries({ asOf: new Date(Date.now()).toISOString() });
}
