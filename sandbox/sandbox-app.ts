import express, { type Express } from 'express';
import { createAuPayEmulator, type AuPayEmulator } from '../au-pay/emulator';
import { controlErrorHandler } from './toolkit/control-errors';
import type { SmtpSink } from '../mail/smtp-sink';

export interface SandboxApp {
  app: Express;
  auPay: AuPayEmulator;
}

/**
 * The one HTTP host of every emulator, each under its own prefix (/au-pay, and later /amazon-pay, /yahoo, ...),
 * plus the mail sink's listing under /mail.
 */
export function createSandboxApp(options: { smtpSink?: SmtpSink } = {}): SandboxApp {
  const app = express();
  const auPay = createAuPayEmulator();
  app.get('/', (_req, res) => {
    res.json({ emulators: { 'au-pay': { api: '/au-pay/wmshopapi', control: '/au-pay/_sandbox' } }, mail: '/mail/messages' });
  });
  app.use('/au-pay', auPay.router);
  const sink = options.smtpSink;
  if (sink) {
    app.get('/mail/messages', (req, res) => {
      const to = typeof req.query.to === 'string' ? req.query.to : undefined;
      const subjectContains = typeof req.query.subject === 'string' ? req.query.subject : undefined;
      res.json({ messages: sink.messages({ to, subjectContains }) });
    });
    app.delete('/mail/messages', (_req, res) => {
      sink.clear();
      res.status(204).end();
    });
  }
  app.use(controlErrorHandler);
  return { app, auPay };
}
