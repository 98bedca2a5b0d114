import type { Pool } from 'pg';
import { auPayKeyExpiry } from '../accounts/api-key-expiry';
import { jstDate } from '../common/jst';
import type { AccountStore } from '../db/provider-accounts';
import { auPayKeyReminderMail } from '../mail/api-key-reminder-mail';
import type { Mailer } from '../mail/mailer';

export interface ApiKeyActivityDeps {
  db: Pool;
  mailer: Mailer;
  accounts?: AccountStore;
  notifyEmail(shopId: string): string | undefined;
}

export function createApiKeyActivities(deps: ApiKeyActivityDeps) {
  return {
    /** Mails each shop whose au PAY key is within 14 days of its 90, once per key. Returns the shops reminded. */
    async remindExpiringAuPayKeys(i: { asOf: string }): Promise<string[]> {
      if (!deps.accounts) return [];
      const today = jstDate(new Date(i.asOf));
      const reminded: string[] = [];
      for (const shopId of await deps.accounts.shopsWith('au-pay')) {
        const account = await deps.accounts.load(shopId, 'au-pay');
        const to = deps.notifyEmail(shopId);
        if (!account) continue; // `to` may be unset: the shop's record addresses the mail
        const expiry = auPayKeyExpiry(account.apiKeyIssuedOn, today);
        if (!expiry.remind) continue;
        // claim first: two workers (or a retried activity) send one mail
        const { rowCount } = await deps.db.query(
          `INSERT INTO api_key_reminders (shop_id, provider, issued_on) VALUES ($1, 'au-pay', $2) ON CONFLICT DO NOTHING`, [shopId, account.apiKeyIssuedOn],
        );
        if (!rowCount) continue;
        try {
          await deps.mailer.send(auPayKeyReminderMail({ to, shopId, expiresOn: expiry.expiresOn, daysLeft: expiry.daysLeft }));
        } catch (err) {
          await deps.db.query(`DELETE FROM api_key_reminders WHERE shop_id = $1 AND provider = 'au-pay' AND issued_on = $2`, [shopId, account.apiKeyIssuedOn]);
          throw err;
        }
        reminded.push(shopId);
      }
      return reminded;
    },
  };
}
