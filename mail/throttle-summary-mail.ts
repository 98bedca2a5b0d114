import { jstDateTime } from '../common/jst';
import type { DueSummary } from '../db/mail-log';
import type { MailMessage } from './mailer';

/** The one mail that says what the throttle held back in a window (#1241). */
export function throttleSummaryMail(s: DueSummary): MailMessage {
  const listed = s.subjects.map((subject) => `・${subject}`).join('\n');
  const more = s.suppressed > s.subjects.length ? `\n…ほか ${s.suppressed - s.subjects.length} 件` : '';
  return {
    to: s.recipient,
    shopId: s.shopId,
    subject: `【renkei】同一アドレスへの大量配信を停止しました(${s.suppressed}件)`,
    text: [
      `${jstDateTime(s.windowStart)} から ${jstDateTime(s.windowEnd)} までの間に、このアドレス宛のメールがしきい値を超えたため、`,
      `${s.suppressed} 件の送信を停止しました(${s.suppressed} mails to this address were held back).`,
      '',
      '停止したメールの件名:',
      listed + more,
      '',
      '停止したメールは renkei のメール一覧(GET /shops/{shopId}/mails?status=suppressed)で確認できます。',
    ].join('\n'),
  };
}
