import { z } from 'zod';
import { nonEmpty, parseEnv, port } from './env';
import { yahooShape } from './yahoo-config';
import { opluxShape } from './oplux-config';
import { accountsShape } from './accounts-config';
import { codecEndpointShape, payloadShape } from './payload-config';
import { DEFAULT_PORTS, DEFAULT_URLS } from './local-urls';

/** Variables every process that talks to Temporal shares. */
export const temporalShape = {
  TEMPORAL_ADDRESS: nonEmpty().default(DEFAULT_URLS.TEMPORAL_ADDRESS),
  TEMPORAL_NAMESPACE: nonEmpty().default('default'),
  TEMPORAL_TASK_QUEUE: nonEmpty().default('renkei'),
};

export const databaseShape = {
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
};

/** The shop this deployment serves. Per-shop provider accounts replace these with stored records (issue 6). */
export const shopShape = {
  SHOP_ID: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ or -, at most 64').default('demo-shop'),
  SHOP_NOTIFY_EMAIL: z.string().email().default('shop-admin@example.jp'),
};

export const auPayShape = {
  AUPAY_BASE_URL: z.string().url().default(DEFAULT_URLS.AUPAY_BASE_URL),
  AUPAY_SHOP_ID: z.string().regex(/^\d{1,20}$/, 'the numeric au PAY store id').default('12345678'),
  AUPAY_API_KEY: nonEmpty().default('sandbox-api-key'),
  AUPAY_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
};

/**
 * The shop's Amazon Pay account. The private key comes as a PEM file path (never the key itself in an environment
 * listing or a log). Without AMAZONPAY_PRIVATE_KEY_FILE the shop has no Amazon Pay.
 */
export const amazonPayShape = {
  AMAZONPAY_BASE_URL: z.string().url().default(DEFAULT_URLS.AMAZONPAY_BASE_URL),
  AMAZONPAY_HOST: nonEmpty().default('pay-api.amazon.jp'),
  AMAZONPAY_REGION: z.enum(['jp', 'us', 'na', 'eu', 'de', 'uk']).default('jp'),
  AMAZONPAY_ENVIRONMENT: z.enum(['sandbox', 'live']).default('sandbox'),
  AMAZONPAY_PUBLIC_KEY_ID: nonEmpty().default('SANDBOX-RENKEI-DEV-KEY'),
  AMAZONPAY_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  AMAZONPAY_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Host names allowed to serve the SNS signing certificate of IPNs, as a regular expression */
  AMAZONPAY_IPN_CERT_HOST: z.string().default('^sns\\.[a-zA-Z0-9\\-]{3,}\\.amazonaws\\.com(\\.cn)?$'),
  AMAZONPAY_IPN_ALLOW_HTTP_CERT: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** The configured shop's merchant id (the sandbox's by default): an IPN for any other merchant is refused */
  AMAZONPAY_MERCHANT_ID: nonEmpty().default('RENKEISANDBOXMERCHANT'),
  /** The SNS topics the configured shop's IPNs come from, comma-separated (the sandbox's by default); others are refused */
  AMAZONPAY_IPN_TOPIC_ARNS: nonEmpty().default('arn:aws:sns:ap-northeast-1:000000000000:renkei-sandbox-amazon-pay-ipn')
    .transform((v) => v.split(',').map((t) => t.trim()).filter(Boolean)),
};

/** GMO-PG's protocol-type endpoint; the shop's credentials are its sealed `gmo-pg` account. */
export const gmoPgShape = {
  GMO_PG_BASE_URL: z.string().url().optional(),
  GMO_PG_TIMEOUT_MS: z.coerce.number().int().min(100).max(180_000).default(30_000),
};

export const mailShape = {
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').default(DEFAULT_URLS.SMTP_URL),
  MAIL_FROM: z.string().email().default('renkei@example.jp'),
};

export const apiShape = {
  ...temporalShape,
  ...databaseShape,
  ...shopShape,
  AMAZONPAY_IPN_CERT_HOST: amazonPayShape.AMAZONPAY_IPN_CERT_HOST,
  AMAZONPAY_IPN_ALLOW_HTTP_CERT: amazonPayShape.AMAZONPAY_IPN_ALLOW_HTTP_CERT,
  AMAZONPAY_MERCHANT_ID: amazonPayShape.AMAZONPAY_MERCHANT_ID,
  AMAZONPAY_IPN_TOPIC_ARNS: amazonPayShape.AMAZONPAY_IPN_TOPIC_ARNS,
  API_PORT: port(DEFAULT_PORTS.API_PORT),
  /** The address the API listens on: loopback unless set (compose sets 0.0.0.0 inside its container). */
  API_HOST: nonEmpty().default('127.0.0.1'),
  API_TOKEN: z.string().min(16, 'must be at least 16 characters'),
  ...accountsShape,
  ...payloadShape,
  ...codecEndpointShape,
};

export const workerShape = { ...temporalShape, ...databaseShape, ...shopShape, ...auPayShape, ...amazonPayShape, ...yahooShape, ...opluxShape, ...gmoPgShape, ...mailShape, ...accountsShape, ...payloadShape };

export type ApiConfig = z.infer<z.ZodObject<typeof apiShape>>;
export type WorkerConfig = z.infer<z.ZodObject<typeof workerShape>>;

export const loadApiConfig = (env = process.env): ApiConfig => parseEnv(apiShape, env);
export const loadWorkerConfig = (env = process.env): WorkerConfig => parseEnv(workerShape, env);
