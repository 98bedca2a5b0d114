import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

export interface ReceivedMail {
  id: number;
  receivedAt: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
}

export interface SmtpSink {
  messages(filter?: { to?: string; subjectContains?: string }): ReceivedMail[];
  clear(): void;
  close(): Promise<void>;
  port: number;
}

/** A local SMTP server that keeps what it receives, so developers and tests can read the mails renkei sent. */
export async function startSmtpSink(options: { port: number; host?: string }): Promise<SmtpSink> {
  let received: ReceivedMail[] = [];
  let nextId = 1;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          received.push({
            id: nextId++,
            receivedAt: new Date().toISOString(),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
          });
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    messages: (filter = {}) =>
      received.filter(
        (m) => (!filter.to || m.to.includes(filter.to)) && (!filter.subjectContains || m.subject.includes(filter.subjectContains)),
      ),
    clear: () => {
      received = [];
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
