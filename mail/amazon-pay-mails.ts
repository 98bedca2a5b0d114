import type { MailMessage } from './mailer';
import { UNEXPECTED_STATE_MESSAGE } from '../workflows/amazon-pay-review';

/** The shop's mails about Amazon Pay async authorization (seed 000 #1320, #1352). */
export const AMAZON_PAY_SUBJECTS = {
  reviewReport: '(renkei) Amazon Pay 審査結果取得バッチ終了のお知らせ',
  authorizationFailure: '(renkei) Amazon Pay オーソリ失敗のお知らせ',
} as const;

export interface ReviewLine {
  orderId: string;
  state: string;
}

/** The periodic review report: the OK list and the ERROR list, with #1320's message for unexpected states. */
export function reviewReportMail(to: string | undefined, ok: ReviewLine[], errors: ReviewLine[]): MailMessage {
  const lines = [
    'Amazon Pay 非同期オーソリの審査結果を取得しました。',
    '',
    `OKList: ${ok.length}件`,
    ...ok.map((l) => `  受注番号:${l.orderId} (${l.state})`),
    `ERRORList: ${errors.length}件`,
    ...errors.map((l) => `  受注番号:${l.orderId} (${l.state})`),
  ];
  if (errors.length) lines.push('', UNEXPECTED_STATE_MESSAGE, `受注番号:${errors.map((l) => l.orderId).join(',')}`);
  return { to, kind: 'amazon-pay-review', subject: AMAZON_PAY_SUBJECTS.reviewReport, text: lines.join('\n') };
}

/** A declined authorization, or an order canceled at Amazon before its result arrived (#1352). */
export function authorizationFailureMail(
  to: string | undefined,
  i: { orderId: string; reasonCode: string | null; unexpectedState?: string; cancelRequested: boolean },
): MailMessage {
  const lines = i.unexpectedState
    ? [UNEXPECTED_STATE_MESSAGE, `受注番号:${i.orderId}`, `取得したステータス: ${i.unexpectedState}`, '', 'Amazon側で取消されている場合は、対象受注を取消処理してください。']
    : [
        'Amazon Pay の審査結果がNGとなりました。',
        `受注番号:${i.orderId}`,
        `理由: ${i.reasonCode ?? '不明'}`,
        i.cancelRequested ? '決済方法の設定により、この受注は取消対象として記録しました。' : '必要に応じてお客様へ別の決済方法をご案内ください。',
      ];
  return { to, kind: 'amazon-pay-review', subject: AMAZON_PAY_SUBJECTS.authorizationFailure, text: lines.join('\n') };
}
