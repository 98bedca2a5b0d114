import { z } from 'zod';
import { parseEnv, port, runMain } from '../common/env';
import { auPayShape } from '../common/config';
import { createLogger } from '../common/logger';
import { startSmtpSink } from '../mail/smtp-sink';
import { createSandboxApp } from './sandbox-app';
import { listen } from '../common/listen';

const log = createLogger('sandbox');

/** The sandbox host: every emulator on one HTTP port, and the SMTP sink. */
runMain(async () => {
  const env = parseEnv({
    SANDBOX_PORT: port(7480),
    SMTP_PORT: port(2525),
    SANDBOX_HOST: z.string().default('127.0.0.1'),
    AUPAY_SHOP_ID: auPayShape.AUPAY_SHOP_ID,
    AUPAY_API_KEY: auPayShape.AUPAY_API_KEY,
  });
  const sink = await startSmtpSink({ port: env.SMTP_PORT, host: env.SANDBOX_HOST });
  const { app, auPay } = createSandboxApp({ smtpSink: sink });
  // The configured store is known to the market from the start, so a fresh `npm start` works end to end.
  auPay.market.registerShop(env.AUPAY_SHOP_ID, env.AUPAY_API_KEY);
  const server = await listen(app, env.SANDBOX_PORT, env.SANDBOX_HOST, 'SANDBOX_PORT');
  log.info('sandbox ready', { http: `http://${env.SANDBOX_HOST}:${env.SANDBOX_PORT}`, smtp: env.SMTP_PORT });
  const stop = () => {
    server.close();
    void sink.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
});
