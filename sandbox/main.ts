import { z } from 'zod';
import { parseEnv, runMain } from '../common/env';
import { portsShape } from '../common/local-urls';
import { auPayShape } from '../au-pay/config';
import { amazonPayShape } from '../amazon-pay/config';
import { yahooShape } from '../yahoo/config';
import { opluxShape } from '../oplux/config';
import { createLogger } from '../common/logger';
import { startSmtpSink } from '../mail/smtp-sink';
import { createSandboxApp } from './sandbox-app';
import { listen } from '../common/listen';
import { readFileSync, writeFileSync } from 'node:fs';
import { startAmazonPayTls } from './tls-listener';
import { createPublicKey } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import { persistSandboxState } from './state-snapshot';

const log = createLogger('sandbox');

/** The sandbox host: every emulator on one HTTP port, and the SMTP sink. */
runMain(async () => {
  const env = parseEnv({
    SANDBOX_PORT: portsShape.SANDBOX_PORT,
    SMTP_PORT: portsShape.SMTP_PORT,
    SANDBOX_HOST: z.string().default('127.0.0.1'),
    AUPAY_SHOP_ID: auPayShape.AUPAY_SHOP_ID,
    AUPAY_API_KEY: auPayShape.AUPAY_API_KEY,
    SANDBOX_PUBLIC_URL: z.string().url().optional(),
    AMAZONPAY_PUBLIC_KEY_ID: amazonPayShape.AMAZONPAY_PUBLIC_KEY_ID,
    AMAZONPAY_PRIVATE_KEY_FILE: amazonPayShape.AMAZONPAY_PRIVATE_KEY_FILE,
    SANDBOX_IPN_TARGET: z.string().url().optional(),
    /** Amazon Pay over TLS at the root, for the official SDK (which always calls https) */
    SANDBOX_TLS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    SANDBOX_TLS_CERT_FILE: z.string().min(1).optional(),
    YAHOO_SELLER_ID: yahooShape.YAHOO_SELLER_ID,
    YAHOO_CLIENT_ID: yahooShape.YAHOO_CLIENT_ID,
    YAHOO_CLIENT_SECRET: yahooShape.YAHOO_CLIENT_SECRET,
    YAHOO_REFRESH_TOKEN: yahooShape.YAHOO_REFRESH_TOKEN,
    OPLUX_SHOP_ID: opluxShape.OPLUX_SHOP_ID,
    OPLUX_CONNECTION_ID: opluxShape.OPLUX_CONNECTION_ID,
    OPLUX_SECRET_KEY: opluxShape.OPLUX_SECRET_KEY,
    /** Where the emulators' state is kept across restarts (`npm start`: .data/sandbox); unset, it lives in memory only */
    SANDBOX_STATE_DIR: z.string().min(1).optional(),
  });
  const sink = await startSmtpSink({ port: env.SMTP_PORT, host: env.SANDBOX_HOST });
  const publicUrl = env.SANDBOX_PUBLIC_URL ?? `http://${env.SANDBOX_HOST}:${env.SANDBOX_PORT}`;
  const { app, auPay, amazonPay, amazonPayIpn, yahoo, oplux, gmoPg, externalSystem } = createSandboxApp({ smtpSink: sink, publicUrl });
  // the state of the last run first, so orders in flight find their trades, charges and tokens after a restart
  const persistence = env.SANDBOX_STATE_DIR
    ? persistSandboxState({
      dir: env.SANDBOX_STATE_DIR, roots: { auPay, amazonPay, yahoo, oplux, gmoPg, externalSystem }, log: (message, fields) => log.info(message, fields),
    })
    : undefined;
  // every answered request may have changed something: snapshot soon after
  const markChanged: RequestHandler = (_req, res, next) => {
    res.once('finish', () => persistence?.changed());
    next();
  };
  // The configured store is known to the market from the start, so a fresh `npm start` works end to end.
  auPay.market.registerShop(env.AUPAY_SHOP_ID, env.AUPAY_API_KEY);
  // The dev Amazon Pay key: the sandbox learns its public half, the worker signs with the private half.
  if (env.AMAZONPAY_PRIVATE_KEY_FILE) {
    const publicKeyPem = createPublicKey(readFileSync(env.AMAZONPAY_PRIVATE_KEY_FILE, 'utf8')).export({ type: 'spki', format: 'pem' }).toString();
    amazonPay.keys.register(env.AMAZONPAY_PUBLIC_KEY_ID, publicKeyPem);
  }
  // The dev Yahoo store: the app the worker is configured with, and the refresh token it was given (as if the store had
  // authorized the app). The session lasts 4 weeks, as with public-key auth, so a long-running dev system keeps working.
  yahoo.auth.registerApp({ clientId: env.YAHOO_CLIENT_ID, clientSecret: env.YAHOO_CLIENT_SECRET, sellerId: env.YAHOO_SELLER_ID, storeScope: true, orderApiApproved: true });
  yahoo.auth.settings.orderSessionHours = 24 * 28;
  if (env.YAHOO_REFRESH_TOKEN) yahoo.auth.registerRefreshToken(env.YAHOO_CLIENT_ID, env.YAHOO_REFRESH_TOKEN);
  // The dev O-PLUX merchant, with the worker's id and secret, so a fresh `npm start` reviews orders end to end.
  if (env.OPLUX_SHOP_ID) oplux.detector.registerMerchant({ shopId: env.OPLUX_SHOP_ID, connectionId: env.OPLUX_CONNECTION_ID, secretKey: env.OPLUX_SECRET_KEY });
  if (env.SANDBOX_IPN_TARGET) amazonPayIpn.configure({ targetUrl: env.SANDBOX_IPN_TARGET });
  persistence?.changed();
  const server = await listen(express().use(markChanged, app), env.SANDBOX_PORT, env.SANDBOX_HOST, 'SANDBOX_PORT');
  if (env.SANDBOX_TLS_PORT) {
    const tls = await startAmazonPayTls(express.Router().use(markChanged, amazonPay.router), env.SANDBOX_TLS_PORT, env.SANDBOX_HOST, { snsCertRouter: amazonPayIpn.certRouter });
    if (env.SANDBOX_TLS_CERT_FILE) writeFileSync(env.SANDBOX_TLS_CERT_FILE, tls.certificatePem);
    // real SNS serves SigningCertURL over https only, and standard validators refuse anything else
    amazonPayIpn.useSnsBaseUrl(`${tls.url}/__sns/`);
    log.info('Amazon Pay over TLS', { https: tls.url, certificate: env.SANDBOX_TLS_CERT_FILE, signingCertUrl: amazonPayIpn.certUrl });
  }
  log.info('sandbox ready', { http: `http://${env.SANDBOX_HOST}:${env.SANDBOX_PORT}`, smtp: env.SMTP_PORT, state: persistence?.file });
  const stop = () => {
    try {
      persistence?.flush();
    } catch (err) {
      log.error('sandbox state not saved', { error: (err as Error).message });
    }
    persistence?.stop();
    server.close();
    void sink.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
});
