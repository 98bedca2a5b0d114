import type { MailMessage } from './mailer';

export const PROCESS_FAILED_SUBJECT = '【renkei】処理失敗のお知らせ';

const PROCESS_NAMES: Record<string, string> = {
  auPayShipmentWorkflow: 'au PAY 出荷情報・受注完了連携',
  amazonPayAuthorizationWorkflow: 'Amazon Pay 非同期オーソリ',
  amazonPayRecurringWorkflow: 'Amazon Pay 定期親受注',
  yahooPayMethodWindowWorkflow: 'Yahoo!ショッピング 支払方法変更期間',
  opluxFraudReviewWorkflow: 'O-PLUX 不正審査',
  orderCancelWorkflow: '受注取消',
  orderOutDeliveryWorkflow: '受注データ連携OUT',
  orderAmountChangeWorkflow: '金額変更',
};

/** To the shop's error address when an order's process has ended in failure (throttled like every admin mail). */
export function processFailedMail(i: { to: string | undefined; shopId: string; orderId: string; process: string; workflowId: string; reason: string }): MailMessage {
  return {
    to: i.to,
    shopId: i.shopId,
    kind: 'process-failure',
    subject: PROCESS_FAILED_SUBJECT,
    text: [
      '受注の処理が失敗し、終了しました。',
      '',
      `処理: ${PROCESS_NAMES[i.process] ?? i.process}`,
      `受注ID: ${i.orderId}`,
      `エラー内容: ${i.reason}`,
      `ワークフローID: ${i.workflowId}`,
      '',
      '原因を取り除いたのち、同じ依頼をもう一度送ってください。',
    ].join('\n'),
  };
}
