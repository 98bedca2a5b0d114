import type { MailMessage } from './mailer';

/** The shop's mails about Yahoo!ショッピング's payment-method-change window (オーソリエラー注文の再決済). */
export const YAHOO_WINDOW_SUBJECTS = {
  deadline: '(renkei) Yahoo!ショッピング 支払い方法変更期限切れのお知らせ',
  linkError: '(renkei) Yahoo!ショッピング 連携エラーのお知らせ',
} as const;

const jst = (iso: string) => `${new Date(Date.parse(iso) + 9 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ')} (JST)`;

/** No change by the deadline, and the shop decides (deadline action "operator"). */
export function deadlineMail(to: string | undefined, i: { orderId: string; deadline: string; payMethod: string | null }): MailMessage {
  return {
    to,
    kind: 'yahoo-window',
    subject: YAHOO_WINDOW_SUBJECTS.deadline,
    text: [
      'オーソリエラーとなった注文で、購入者が支払い方法変更期限までに支払い方法を変更しませんでした。',
      `注文番号: ${i.orderId}`,
      `支払い方法変更期限: ${jst(i.deadline)}`,
      `支払い方法: ${i.payMethod ?? '不明'}`,
      '',
      'キャンセルするか、この注文を引き続き担当者で対応するかを API で指定してください:',
      `  POST /shops/{shopId}/yahoo/orders/${i.orderId}/decision  {"decision": "cancel" | "keep", "operator": "..."}`,
    ].join('\n'),
  };
}

/** An update at Yahoo failed for good. */
export function linkErrorMail(to: string | undefined, i: { orderId: string; step: string; message: string }): MailMessage {
  return {
    to,
    kind: 'yahoo-window',
    subject: YAHOO_WINDOW_SUBJECTS.linkError,
    text: [
      'Yahoo!ショッピングへの更新に失敗しました。',
      `注文番号: ${i.orderId}`,
      `処理: ${i.step}`,
      `エラー: ${i.message}`,
      '',
      '原因を解消したうえで、API で再実行 (retry) するか担当者対応 (keep) を指定してください:',
      `  POST /shops/{shopId}/yahoo/orders/${i.orderId}/decision  {"decision": "retry" | "keep", "operator": "..."}`,
    ].join('\n'),
  };
}
