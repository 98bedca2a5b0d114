/**
 * The kinds of mail renkei sends a shop, the names a shop's `mailRoutes` uses to send each kind to its
 * administrators, its 通知先 address, or both (seed 004 mails both; a kind not routed goes to both).
 */
export const MAIL_KINDS = [
  'au-pay-error', 'api-key-reminder', 'amazon-pay-review', 'amazon-pay-recurring', 'yahoo-window', 'oplux-error',
  'order-cancel', 'order-out', 'process-failure',
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];
