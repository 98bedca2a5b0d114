import type { MailMessage } from './mailer';

/** The error result mails of seed 004 section 5-2, with renkei's name where CROSS MALL put its own. */
export const AU_PAY_ERROR_SUBJECTS = {
  shipping: '(renkei) au PAY自動出荷情報反映結果のお知らせ(エラー情報)',
  completion: '(renkei) au PAY自動受注完了ステータス反映結果のお知らせ(エラー情報)',
} as const;

export interface AuPayErrorMailInput {
  to: string | undefined;
  phase: keyof typeof AU_PAY_ERROR_SUBJECTS;
  shopId: string;
  orderId: string;
  auPayOrderId: string;
  message: string;
}

export function auPayErrorMail(i: AuPayErrorMailInput): MailMessage {
  const what = i.phase === 'shipping' ? '自動出荷情報反映' : '自動受注完了ステータス反映';
  const resetTo = i.phase === 'shipping' ? '「空欄(未処理)」' : '「出荷情報反映済み」';
  return {
    to: i.to,
    kind: 'au-pay-error',
    subject: AU_PAY_ERROR_SUBJECTS[i.phase],
    text: [
      `au PAY マーケットへの${what}でエラーが発生しました。正常に処理が完了していません。`,
      '',
      `ショップ: ${i.shopId}`,
      `受注番号: ${i.orderId}`,
      `au PAY注文番号: ${i.auPayOrderId}`,
      `内容: ${i.message}`,
      '',
      'エラー内容を確認し、Wow! manager上で反映済みかご確認ください。',
      `未反映の場合は au PAY API連携ステータスを${resetTo}に変更すると再処理されます。`,
    ].join('\n'),
  };
}
