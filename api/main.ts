import { Client, Connection } from '@temporalio/client';
import { loadApiConfig } from '../config';
import { runMain } from '../common/env';
import { temporalConnectionOptions } from '../common/temporal-connection';
import { listen } from '../common/listen';
import { createLogger } from '../common/logger';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { createApiApp } from './app';
import { runStartReconciler } from './pending-starts';
import { keyRingFromConfig } from '../common/accounts-config';
import { dataConverterFor, payloadCodecFromConfig } from '../common/payload-config';
import { createAccountStore } from '../db/provider-accounts';
import { certUrlPolicyFromConfig, createSnsVerifier } from '../amazon-pay/sns/sns-verifier';
import { defaultCertTrust, withSandboxCertTrust } from '../amazon-pay/sns/sandbox-cert-trust';
import { amazonPayIpnAccounts } from './amazon-pay/ipn-account';
import { seedConfiguredShop } from '../shops/configured-shop';
import { createShopDirectory } from '../shops/shop-directory';

const log = createLogger('api');

runMain(async () => {
  const config = loadApiConfig();
  const keyRing = keyRingFromConfig(config);
  // PAYLOAD_KEYS: what the API hands Temporal is encrypted, what it reads back decrypted
  const payloadCodec = payloadCodecFromConfig(config);
  const db = createPool(config.DATABASE_URL);
  const applied = await migrate(db);
  if (applied.length) log.info('migrations applied', { names: applied.join(',') });
  // lazy: the API starts and answers /health (and 503s) while Temporal is down; it connects on the first call
  const connection = Connection.lazy(temporalConnectionOptions(config));
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverterFor(payloadCodec) });
  const accounts = keyRing ? createAccountStore(db, keyRing) : undefined;
  // the configured shop is a shop like any other: created on the first start, then changed through the API
  await seedConfiguredShop(db, { shopId: config.SHOP_ID, notifyEmail: config.SHOP_NOTIFY_EMAIL });
  const shops = createShopDirectory(db);
  const app = createApiApp({
    temporal, db, apiToken: config.API_TOKEN, taskQueue: config.TEMPORAL_TASK_QUEUE,
    isKnownShop: shops.isKnown, shops,
    accounts,
    temporalUiUrl: config.TEMPORAL_UI_URL,
    // POST /codec/decode and /codec/encode for the Web UI
    payloadCodec: payloadCodec && { codec: payloadCodec, origins: config.PAYLOAD_CODEC_ORIGINS, trustLoopback: config.PAYLOAD_CODEC_TRUST_LOOPBACK },
    ipnVerifier: createSnsVerifier(withSandboxCertTrust(
      // https on port 443 only unless plain http is allowed (the sandbox on loopback)
      defaultCertTrust(certUrlPolicyFromConfig({ hostPattern: config.AMAZONPAY_IPN_CERT_HOST, allowHttp: config.AMAZONPAY_IPN_ALLOW_HTTP_CERT })),
      // the sandbox's https SigningCertURL, trusting its own TLS certificate (refused in production)
      config.AMAZONPAY_IPN_SANDBOX_CERT_URL && config.AMAZONPAY_IPN_SANDBOX_CA_FILE
        ? { certBaseUrl: config.AMAZONPAY_IPN_SANDBOX_CERT_URL, caFile: config.AMAZONPAY_IPN_SANDBOX_CA_FILE }
        : undefined,
    )),
    // the shop's sealed account first, the environment's for the configured shop otherwise
    amazonPayIpnAccount: amazonPayIpnAccounts({
      accounts,
      fallback: (shopId) => (shopId === config.SHOP_ID ? { merchantId: config.AMAZONPAY_MERCHANT_ID, topicArns: config.AMAZONPAY_IPN_TOPIC_ARNS } : undefined),
    }),
  });
  // loopback unless API_HOST says otherwise: the API is reached through a proxy or, in compose, its container's port
  const server = await listen(app, config.API_PORT, config.API_HOST, 'API_PORT');
  log.info('api listening', { host: config.API_HOST, port: config.API_PORT });
  // starts owed by requests that Temporal did not answer (or that this process died in the middle of)
  const reconciler = runStartReconciler({ db, temporal });
  const stop = () => {
    void reconciler.stop();
    server.close(() => {
      void Promise.all([db.end(), connection.close()]).then(() => process.exit(0));
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
});
