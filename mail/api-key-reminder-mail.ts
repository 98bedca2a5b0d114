import type { MailMessage } from './mailer';

export const AU_PAY_KEY_REMINDER_SUBJECT = '【renkei】au PAY マーケット APIキーの有効期限が近づいています';

export function auPayKeyReminderMail(i: { to: string | undefined; shopId: string; expiresOn: string; daysLeft: number }): MailMessage {
  const when = i.daysLeft > 0 ? `あと ${i.daysLeft} 日で期限切れになります` : '既に期限切れです';
  return {
    to: i.to,
    shopId: i.shopId,
    kind: 'api-key-reminder',
    subject: AU_PAY_KEY_REMINDER_SUBJECT,
    text: [
      `ショップ ${i.shopId} の au PAY マーケット APIキーは ${i.expiresOn} に有効期限を迎えます(${when})。`,
      'APIキーの有効期限は発行から90日です。期限を過ぎると出荷・完了の連携がエラー(0002)になります。',
      'Wow! manager で新しいAPIキーを発行し、renkei に登録してください: PUT /shops/{shopId}/accounts/au-pay',
    ].join('\n'),
  };
}
