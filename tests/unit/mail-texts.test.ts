import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { authorizationFailureMail, reviewReportMail } from '../../mail/amazon-pay-mails';
import { recurringMail } from '../../mail/amazon-pay-recurring-mails';
import { auPayKeyReminderMail } from '../../mail/api-key-reminder-mail';
import { auPayErrorMail } from '../../mail/au-pay-error-mail';
import type { MailMessage } from '../../mail/mailer';
import { opluxErrorMail } from '../../mail/oplux-error-mail';
import { providerCancelFailedMail, providerCancelReminderMail } from '../../mail/order-cancel-mails';
import { orderOutFailedMail } from '../../mail/order-out-mails';
import { processFailedMail } from '../../mail/process-failure-mail';
import { throttleSummaryMail } from '../../mail/throttle-summary-mail';
import { deadlineMail, linkErrorMail } from '../../mail/yahoo-window-mails';

/**
 * Mails speak of renkei and the shop's own system, never of another product (issue 13 §3): the texts came from
 * seeds written for other products (アラジンEC, CROSS MALL), and their names must not reach a shop's inbox.
 */
const FOREIGN_NAMES = /アラジン|Aladdin|CROSS\s*MALL|クロスモール/i;

const to = 'shop@example.com';
const rendered: Array<[string, MailMessage]> = [
  ['provider cancel failed', providerCancelFailedMail({ to, shopId: 's1', orderId: 'O-1', paymentMethod: 'gmo-pg', reason: 'E01' })],
  ['provider cancel reminder', providerCancelReminderMail({ to, shopId: 's1', orderId: 'O-1', reason: 'E01', reminder: 2 })],
  ['review report', reviewReportMail(to, [{ orderId: 'O-1', state: 'Authorized' }], [{ orderId: 'O-2', state: 'Canceled' }])],
  ['authorization declined', authorizationFailureMail(to, { orderId: 'O-1', reasonCode: 'SoftDeclined', cancelRequested: true })],
  ['unexpected state', authorizationFailureMail(to, { orderId: 'O-1', reasonCode: null, unexpectedState: 'Canceled', cancelRequested: false })],
  ['recurring', recurringMail(to, 'declined', { parentOrderId: 'P-1', chargePermissionId: 'C-1', detail: 'x' })],
  ['au PAY key reminder', auPayKeyReminderMail({ to, shopId: 's1', expiresOn: '2026-12-31', daysLeft: 7 })],
  ['au PAY error', auPayErrorMail({ to, phase: 'shipping', shopId: 's1', orderId: 'O-1', auPayOrderId: 'A-1', message: 'x' })],
  ['O-PLUX error', opluxErrorMail({ to, shopId: 's1', orderId: 'O-1', result: '審査エラー', message: 'x' })],
  ['order OUT failed', orderOutFailedMail({ to, shopId: 's1', orderId: 'O-1', outboxId: '1', event: 'e', attempts: 3, error: 'x' })],
  ['process failed', processFailedMail({ to, shopId: 's1', orderId: 'O-1', process: 'p', workflowId: 'w', reason: 'x' })],
  ['throttle summary', throttleSummaryMail({ shopId: 's1', recipient: to, windowStart: new Date(), windowEnd: new Date(), suppressed: 3, subjects: ['a'] })],
  ['Yahoo deadline', deadlineMail(to, { orderId: 'O-1', deadline: new Date().toISOString(), payMethod: null })],
  ['Yahoo link error', linkErrorMail(to, { orderId: 'O-1', step: 's', message: 'x' })],
];

test.each(rendered)('the %s mail names renkei or the shop, no other product', (_name, mail) => {
  expect(`${mail.subject}\n${mail.text}`).not.toMatch(FOREIGN_NAMES);
});

test('the cancel choices say what renkei does with the order', () => {
  const { text } = providerCancelFailedMail({ to, shopId: 's1', orderId: 'O-1', paymentMethod: 'gmo-pg', reason: 'E01' });
  expect(text).toContain('renkeiで受注のみ取り消す');
});

test('no mail module carries another product name in its text (comments may cite the seeds)', () => {
  const dir = path.join(__dirname, '../../mail');
  const offending = readdirSync(dir).filter((f) => f.endsWith('.ts')).flatMap((f) =>
    readFileSync(path.join(dir, f), 'utf8').split('\n')
      .filter((line) => !/^\s*(\/\/|\/?\*)/.test(line) && FOREIGN_NAMES.test(line))
      .map((line) => `${f}: ${line.trim()}`));
  expect(offending).toEqual([]);
});
