import type { Pool } from 'pg';
import { claimDueSummaries, logSummary, releaseSummary } from '../db/mail-log';
import type { Mailer } from '../mail/mailer';
import { throttleSummaryMail } from '../mail/throttle-summary-mail';

export interface MailActivityDeps {
  db: Pool;
  /** the plain SMTP mailer: a summary is never itself held back */
  smtp: Mailer;
}

export function createMailActivities(deps: MailActivityDeps) {
  return {
    /** One summary per ended window that held mails back; returns how many went out. */
    async sendThrottleSummaries(i: { asOf: string }): Promise<number> {
      let sent = 0;
      for (const due of await claimDueSummaries(deps.db, new Date(i.asOf))) {
        const mail = throttleSummaryMail(due);
        try {
          await deps.smtp.send(mail);
        } catch (err) {
          await releaseSummary(deps.db, due); // due again on the next run
          throw err;
        }
        await logSummary(deps.db, { shopId: due.shopId, recipient: due.recipient, subject: mail.subject });
        sent += 1;
      }
      return sent;
    },
  };
}
