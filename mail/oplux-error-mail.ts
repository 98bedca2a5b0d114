import type { MailMessage } from './mailer';

/** The shop's notice when an O-PLUX call failed for good (審査エラー / 更新エラー) and waits for a 手動再連携. */
export const OPLUX_ERROR_SUBJECTS = {
  審査エラー: '(renkei) O-PLUX連携エラーのお知らせ(審査エラー)',
  更新エラー: '(renkei) O-PLUX連携エラーのお知らせ(更新エラー)',
} as const;

export interface OpluxErrorMailInput {
  to: string | undefined;
  shopId: string;
  orderId: string;
  result: keyof typeof OPLUX_ERROR_SUBJECTS;
  message: string;
}

export function opluxErrorMail(i: OpluxErrorMailInput): MailMessage {
  const what = i.result === '審査エラー' ? 'イベント登録(審査)' : 'イベント更新(目視審査結果・ブラックフラグ)';
  return {
    to: i.to,
    shopId: i.shopId,
    kind: 'oplux-error',
    subject: OPLUX_ERROR_SUBJECTS[i.result],
    text: [
      `O-PLUX・不正チェッカーへの${what}がリトライ後もエラーとなりました。`,
      '',
      `ショップ: ${i.shopId}`,
      `受注番号: ${i.orderId}`,
      `O-PLUX処理結果: ${i.result}`,
      `O-PLUXエラーメッセージ: ${i.message}`,
      '',
      '原因を確認のうえ、受注の「O-PLUX・不正チェッカー手動再連携」を実行してください。',
    ].join('\n'),
  };
}
