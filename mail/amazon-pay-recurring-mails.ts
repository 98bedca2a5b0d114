import type { MailMessage } from './mailer';

/** Mails to the shop about a recurring parent order (定期親受注) paid with Amazon Pay (seed 000 #1139). */
export type RecurringMailKind = 'expiry-warning' | 'expired' | 'cap-exceeded' | 'declined' | 'buyer-closed';

const SUBJECTS: Record<RecurringMailKind, string> = {
  'expiry-warning': '(renkei) Amazon Pay 定期親受注の有効期限が近づいています',
  expired: '(renkei) Amazon Pay 定期親受注の有効期限が切れました',
  'cap-exceeded': '(renkei) Amazon Pay 定期子受注が月額上限により決済されませんでした',
  declined: '(renkei) Amazon Pay 定期子受注の決済に失敗しました',
  'buyer-closed': '(renkei) Amazon Pay 定期親受注がお客様により解除されました',
};

export function recurringMail(to: string | undefined, kind: RecurringMailKind, i: { parentOrderId: string; chargePermissionId: string; detail: string }): MailMessage {
  return {
    to,
    kind: 'amazon-pay-recurring',
    subject: SUBJECTS[kind],
    text: [`定期親受注番号: ${i.parentOrderId}`, `ChargePermission: ${i.chargePermissionId}`, '', i.detail].join('\n'),
  };
}

export const RECURRING_MAIL_SUBJECTS = SUBJECTS;
