import { log } from '@temporalio/activity';
import type { Pool } from 'pg';
import type { Mailer } from '../mail/mailer';
import { processFailedMail } from '../mail/process-failure-mail';
import { recordProcessFailure } from '../db/process-failures';
import { orderOfWorkflowId, type ProcessFailure } from '../workflows/process-failure';

export interface ProcessFailureActivityDeps {
  db: Pool;
  mailer: Mailer;
  notifyEmail(shopId: string): Promise<string | undefined>;
}

/** The one activity the failure interceptor runs: the failure on the order, and the shop told. */
export function createProcessFailureActivities(deps: ProcessFailureActivityDeps) {
  return {
    async recordProcessFailure(f: ProcessFailure): Promise<void> {
      const order = orderOfWorkflowId(f.workflowId);
      if (!order) return void log.warn('process failed, no order in its id', { workflowId: f.workflowId, reason: f.reason });
      await recordProcessFailure(deps.db, { ...f, ...order });
      log.warn('process failed', { workflowId: f.workflowId, process: f.process, reason: f.reason });
      const to = await deps.notifyEmail(order.shopId);
      await deps.mailer.send(processFailedMail({ to, ...order, ...f })); // `to` may be unset: the shop's record addresses it
    },
  };
}
