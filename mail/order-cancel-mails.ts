import type { MailMessage } from './mailer';

export const PROVIDER_CANCEL_FAILED_SUBJECT = '【renkei】決済代行会社への受注キャンセル連携エラー';
export const PROVIDER_CANCEL_REMINDER_SUBJECT = '【renkei】受注キャンセル連携エラーの対応待ち(リマインド)';

const decisionHelp = (shopId: string, orderId: string): string[] => [
  '決済代行会社への取消連携に失敗したため、受注は取り消されていません(受注あり)。',
  '次のどちらかを選択してください:',
  '・renkeiで受注のみ取り消す(決済代行会社側はそのまま、手動での取消が必要です): {"choice":"cancel-locally"}',
  '・何もしない(受注を元に戻す): {"choice":"leave"}',
  `POST /shops/${shopId}/cancellations/${orderId}/decision`,
];

/** To the shop's error address when the provider cancel failed (#696, #1334): why, and the two choices. */
export function providerCancelFailedMail(i: { to: string | undefined; shopId: string; orderId: string; paymentMethod: string; reason: string }): MailMessage {
  return {
    to: i.to,
    shopId: i.shopId,
    kind: 'order-cancel',
    subject: PROVIDER_CANCEL_FAILED_SUBJECT,
    text: [
      '受注キャンセル時の決済代行会社への取消連携に失敗しました。',
      '',
      `受注ID: ${i.orderId}`,
      `決済方法: ${i.paymentMethod}`,
      `エラー内容: ${i.reason}`,
      '',
      ...decisionHelp(i.shopId, i.orderId),
    ].join('\n'),
  };
}

/** No decision yet after the reminder interval: the same choices again, with how many reminders went before. */
export function providerCancelReminderMail(i: { to: string | undefined; shopId: string; orderId: string; reason: string; reminder: number }): MailMessage {
  return {
    to: i.to,
    shopId: i.shopId,
    kind: 'order-cancel',
    subject: PROVIDER_CANCEL_REMINDER_SUBJECT,
    text: [
      `受注キャンセル連携エラーの対応がまだ選択されていません(リマインド ${i.reminder} 回目)。`,
      '',
      `受注ID: ${i.orderId}`,
      `エラー内容: ${i.reason}`,
      '',
      ...decisionHelp(i.shopId, i.orderId),
    ].join('\n'),
  };
}

export const MANUAL_CANCEL_NEEDED_SUBJECT = '【renkei】受注キャンセル: 決済代行会社側の手動取消が必要です';

/**
 * To the shop when a cancel cannot reach the provider because the payment method has no settings: the order is not
 * canceled, the authorization may still be live at the provider; what to check and the choices.
 */
export function manualCancelNeededMail(i: { to: string | undefined; shopId: string; orderId: string; paymentMethod: string; reason: string }): MailMessage {
  return {
    to: i.to,
    shopId: i.shopId,
    kind: 'order-cancel',
    subject: MANUAL_CANCEL_NEEDED_SUBJECT,
    text: [
      '受注キャンセルの依頼を受けましたが、決済方法の設定がないため、決済代行会社への取消連携を行えません。',
      '受注は取り消されていません(受注あり)。決済代行会社側の与信が残っている可能性があります。',
      '',
      `受注ID: ${i.orderId}`,
      `決済方法: ${i.paymentMethod}`,
      `内容: ${i.reason}`,
      '',
      '決済代行会社の管理画面で取消したうえで、次のいずれかを選択してください:',
      '・決済代行会社側で手動取消済み(受注を取り消す): {"choice":"canceled-by-hand"}',
      '・受注のみ取り消す(決済代行会社側は後で手動取消): {"choice":"cancel-locally"}',
      '・何もしない(受注を元に戻す): {"choice":"leave"}',
      `POST /shops/${i.shopId}/cancellations/${i.orderId}/decision`,
    ].join('\n'),
  };
}
