import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** whose mail it is: the throttle counts per shop and address */
  shopId?: string;
  /** admin mails (the default) are throttled per address; mails to end users never are */
  audience?: 'admin' | 'end-user';
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
      const info = await transport.sendMail({ from: options.from, to: message.to, subject: message.subject, text: message.text });
      return { messageId: info.messageId, sent: true };
    },
    close: () => transport.close(),
  };
}
