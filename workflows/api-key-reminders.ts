import { proxyActivities } from '@temporalio/workflow';
import type { createApiKeyActivities } from '../activities/api-key-activities';
import { localIo } from './retry-policies';

const keys = proxyActivities<ReturnType<typeof createApiKeyActivities>>(localIo);

/** Run daily by a schedule: the au PAY API key reminder, 14 days before the key's 90 days are up (spec part B). */
export async function apiKeyRemindersWorkflow(): Promise<string[]> {
  return keys.remindExpiringAuPayKeys({ asOf: new Date(Date.now()).toISOString() });
}
