import express, { type Express } from 'express';
import { createAuPayEmulator, type AuPayEmulator } from '../au-pay/emulator';
import { createAmazonPayEmulator, type AmazonPayEmulator } from '../amazon-pay/emulator';
import { controlErrorHandler } from './toolkit/control-errors';
import { createYahooEmulator, type YahooEmulator } from '../yahoo/emulator';
import { createOpluxEmulator } from '../oplux/emulator';
import { createGmoPgEmulator, type GmoPgEmulator } from '../gmo-pg/emulator';
import { createExternalSystemEmulator, type ExternalSystemEmulator } from '../external-system/emulator';
import { createIpnSender, SANDBOX_MERCHANT_ID, SNS_CERT_FILE, type IpnSender } from '../amazon-pay/emulator/ipn-sender';
import { createSnsSigner } from '../amazon-pay/sns/sns-signer';
import type { SmtpSink } from '../mail/smtp-sink';
import { mailSinkRoutes } from './mail-sink-routes';

export interface SandboxApp {
  app: Express;
  auPay: AuPayEmulator;
  amazonPay: AmazonPayEmulator;
  /** Amazon Pay's IPNs: SNS-signed POSTs for every state change, to the target set under /amazon-pay/_sandbox/ipn */
  amazonPayIpn: IpnSender;
  yahoo: YahooEmulator;
  oplux: ReturnType<typeof createOpluxEmulator>;
  /** GMO-PG's protocol type: POST /gmo-pg/payment/<Api>.idPass, control plane under /gmo-pg/_sandbox */
  gmoPg: GmoPgEmulator;
  /** The shop's external system receiving order data OUT: POST /external-system/receive/{endpoint} */
  externalSystem: ExternalSystemEmulator;
}

export interface SandboxAppOptions {
  smtpSink?: SmtpSink;
  /** where the sandbox is reached, for the IPNs' SigningCertURL */
  publicUrl: string;
  amazonPayMerchantId?: string;
}

/**
 * The one HTTP host of every emulator, each under its own prefix (/au-pay, /amazon-pay, and later /yahoo, ...),
 * plus the mail sink's listing under /mail.
 */
export function createSandboxApp(options: SandboxAppOptions): SandboxApp {
  const app = express();
  const auPay = createAuPayEmulator();
  const sns = `${options.publicUrl.replace(/\/+$/, '')}/amazon-pay/__sns`;
  const ipn = createIpnSender({
    merchantId: options.amazonPayMerchantId ?? SANDBOX_MERCHANT_ID, certUrl: `${sns}/${SNS_CERT_FILE}`, unsubscribeBaseUrl: `${sns}/`,
    signer: createSnsSigner(), clock: () => amazonPay.kit.clock.now(), // called only after both exist
    // SNS stamps Timestamp with its own (real) clock: moving Amazon Pay's clock must not make IPNs look stale
    snsClock: () => new Date(),
  });
  const amazonPay = createAmazonPayEmulator({ onStateChange: (change) => ipn.notify(change), onReset: () => ipn.reset() });
  app.get('/', (_req, res) => {
    res.json({
      emulators: {
        'au-pay': { api: '/au-pay/wmshopapi', control: '/au-pay/_sandbox' },
        'amazon-pay': { api: '/amazon-pay/{sandbox|live}/v2', control: '/amazon-pay/_sandbox' },
        yahoo: { api: '/yahoo/ShoppingWebService/V1', token: '/yahoo/yconnect/v2/token', control: '/yahoo/_sandbox' },
        oplux: { api: '/oplux/v2/event', control: '/oplux/_sandbox' },
        'external-system': { receive: '/external-system/receive/{endpoint}', control: '/external-system/_sandbox' },
        'gmo-pg': { api: '/gmo-pg/payment/{EntryTran|ExecTran|AlterTran|ChangeTran|SearchTrade}.idPass', control: '/gmo-pg/_sandbox' },
      },
      mail: '/mail/messages',
      mailPage: '/mail',
    });
  });
  app.use('/au-pay', auPay.router);
  app.use('/amazon-pay/_sandbox/ipn', ipn.router);
  app.use('/amazon-pay/__sns', ipn.certRouter);
  app.use('/amazon-pay', amazonPay.router);
  const yahoo = createYahooEmulator();
  const oplux = createOpluxEmulator();
  app.use('/yahoo', yahoo.router);
  app.use('/oplux', oplux.router);
  const gmoPg = createGmoPgEmulator();
  app.use('/gmo-pg', gmoPg.router);
  const externalSystem = createExternalSystemEmulator();
  app.use('/external-system', externalSystem.router);
  if (options.smtpSink) app.use(mailSinkRoutes(options.smtpSink)); // JSON for programs, a page for a browser
  app.use(controlErrorHandler);
  return { app, auPay, amazonPay, amazonPayIpn: ipn, yahoo, oplux, gmoPg, externalSystem };
}
