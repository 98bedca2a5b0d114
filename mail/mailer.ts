import nodemailer from 'nodemailer';
import type { MailKind } from './mail-kinds';

export interface MailMessage {
  /** absent: only the shop's own addresses (mail/shop-recipients.ts); with none, the mail is logged and not sent */
  to?: string;
  subject: string;
  text: string;
  /** whose mail it is: the throttle counts per shop and address */
  shopId?: string;
  /** admin mails (the default) are throttled per address; mails to end users never are */
  audience?: 'admin' | 'end-user';
  /** which mail it is: a shop routes each kind to its administrators, its 通知先, or both (mail/mail-kinds.ts) */
  kind?: MailKind;
}

export interface SendResult {
  messageId: string | null;
  /** false when the throttle held the mail back */
  sent: boolean;
}

export interface Mailer {
  send(message: MailMessage): Promise<SendResult>;
  close(): void;
}

/** Mail over SMTP (the dev SMTP sink locally; the shop's relay in production). */
export function createMailer(options: { smtpUrl: string; from: string }): Mailer {
  const transport = nodemailer.createTransport(options.smtpUrl);
  return {
    async send(message) {
      if (!message.to) return { messageId: null, sent: false };
      const info = await transport.sendMail({ from: options.from, to: message.to, subject: message.subject, text: message.text });
      return { messageId: info.messageId, sent: true };
    },
    close: () => transport.close(),
  };
}
