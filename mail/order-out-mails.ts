import type { MailMessage } from './mailer';

export const ORDER_OUT_FAILED_SUBJECT = '【renkei】受注データ連携OUTエラー';

/** To the shop's error address when a delivery's retries are spent (throttled like every admin mail). */
export function orderOutFailedMail(i: { to: string | undefined; shopId: string; orderId: string; outboxId: string; event: string; attempts: number; error: string }): MailMessage {
  return {
    to: i.to,
    shopId: i.shopId,
    kind: 'order-out',
    subject: ORDER_OUT_FAILED_SUBJECT,
    text: [
      '外部システムへの受注データ連携OUTに失敗しました。',
      '',
      `受注ID: ${i.orderId}`,
      `イベント: ${i.event} (連携ID ${i.outboxId})`,
      `試行回数: ${i.attempts}`,
      `エラー内容: ${i.error}`,
      '',
      'この受注の後続の連携は、この連携が完了するまで保留されます。',
      `原因を取り除いたのち、再連携してください: POST /shops/${i.shopId}/order-out/deliveries/${i.outboxId}/redeliver`,
    ].join('\n'),
  };
}
