import { Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import { admitMail, getThrottleSettings, markMail } from '../db/mail-log';
import { mailDone } from '../metrics/business-events';
import type { Mailer } from './mailer';

/** Inside an activity: its workflow and activity id (a retry keeps them) and the server's time of this attempt. */
function activityContext(): { dedupeKey: string; at: Date } | undefined {
  try {
    const { info } = Context.current();
    return { dedupeKey: `${info.workflowExecution?.workflowId ?? info.workflowType}:${info.activityId}`, at: new Date(info.currentAttemptScheduledTimestampMs) };
  } catch {
    return undefined; // not in an activity
  }
}

/**
 * The one way renkei sends mail (#1241): every mail is logged; admin mails count against their address's window
 * and, past the shop's threshold, are held back (logged as suppressed) instead of sent. The count lives in
 * PostgreSQL, so it holds across restarts and workers. A retried activity is never counted twice.
 */
export function createThrottledMailer(pool: Pool, smtp: Mailer, o: { now?: () => Date } = {}): Mailer {
  return {
    async send(message) {
      const shopId = message.shopId ?? '*';
      const audience = message.audience ?? 'admin';
      const ctx = activityContext();
      const about = { shopId, kind: message.kind, subject: message.subject, audience };
      if (!message.to) {
        mailDone('no-address', about);
        return { messageId: null, sent: false };
      }
      const recipient = message.to.toLowerCase();
      const admission = await admitMail(
        pool,
        // one activity may mail several addresses (a shop's administrators): each is its own mail to dedupe
        { shopId, recipient, subject: message.subject, audience, dedupeKey: ctx ? `${ctx.dedupeKey}:${recipient}` : null, at: ctx?.at ?? o.now?.() ?? new Date() },
        await getThrottleSettings(pool, shopId),
      );
      if (admission.status === 'suppressed') {
        mailDone('held-back', about);
        return { messageId: null, sent: false };
      }
      if (admission.status === 'sent') return { messageId: null, sent: true }; // a retry after the mail went out
      try {
        const result = await smtp.send(message);
        await markMail(pool, admission.logId, 'sent');
        mailDone('sent', about);
        return result;
      } catch (err) {
        mailDone('failed', { ...about, error: (err as Error).message });
        await markMail(pool, admission.logId, 'failed', (err as Error).message).catch(() => undefined);
        throw err;
      }
    },
    close: () => smtp.close(),
  };
}
