/**
 * The deployment's configuration: the shared shapes here, each provider's in its own folder (`au-pay/config.ts`,
 * `yahoo/config.ts`, ...), composed into what the API and the worker read from their environment.
 */
import { z } from 'zod';
import { nonEmpty, parseEnv, port } from '../common/env';
import { LOG_FORMATS, LOG_LEVELS } from '../common/logger';
import { accountsShape } from '../common/accounts-config';
import { codecEndpointShape, payloadShape } from '../common/payload-config';
import { DEFAULT_PORTS, DEFAULT_URLS } from '../common/local-urls';
import { auPayShape } from '../au-pay/config';
import { amazonPayShape } from '../amazon-pay/config';
import { yahooShape } from '../yahoo/config';
import { opluxShape } from '../oplux/config';
import { gmoPgShape } from '../gmo-pg/config';
import { temporalConnectionShape } from '../common/temporal-connection';

/** Variables every process that talks to Temporal shares. */
export const temporalShape = {
  TEMPORAL_ADDRESS: nonEmpty().default(DEFAULT_URLS.TEMPORAL_ADDRESS),
  TEMPORAL_NAMESPACE: nonEmpty().default('default'),
  TEMPORAL_TASK_QUEUE: nonEmpty().default('renkei'),
  /** mTLS or an API key, for a Temporal cluster or Temporal Cloud (README, "Running against a Temporal cluster or Temporal Cloud") */
  ...temporalConnectionShape,
};

export const databaseShape = {
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
};

/** The shop this deployment serves. Per-shop provider accounts replace these with stored records (issue 6). */
export const shopShape = {
  SHOP_ID: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ or -, at most 64').default('demo-shop'),
  SHOP_NOTIFY_EMAIL: z.string().email().default('shop-admin@example.jp'),
};

export const mailShape = {
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').default(DEFAULT_URLS.SMTP_URL),
  MAIL_FROM: z.string().email().default('renkei@example.jp'),
};

/** Every process's logs (common/logger.ts reads them itself, at its first line; validated here so a typo stops the start). */
export const logShape = {
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** unset: pretty in a terminal, JSON lines otherwise */
  LOG_FORMAT: z.enum(LOG_FORMATS).optional(),
};

/** The worker's Prometheus endpoint, and the Temporal SDK's own exporter (loopback; the worker's /metrics appends it). */
export const workerMetricsShape = {
  WORKER_METRICS_PORT: port(DEFAULT_PORTS.WORKER_METRICS_PORT),
  /** loopback unless set (compose sets 0.0.0.0 inside the worker's container, for Prometheus) */
  WORKER_METRICS_HOST: nonEmpty().default('127.0.0.1'),
  TEMPORAL_SDK_METRICS_PORT: port(DEFAULT_PORTS.TEMPORAL_SDK_METRICS_PORT),
};

/**
 * Workflows the worker keeps in memory between tasks: each about 1.4 MiB (npm run bench:open-workflows: every cached
 * workflow holds its own copy of every module the workflow bundle evaluates). The SDK's default follows the heap limit
 * (about 2,300 on a 4 GiB heap), so a 2,000-row import's open order data OUT deliveries took the worker to 4.5 GiB.
 * 250, not 500: 500 cached windows peaked at 1.5 GiB while settling (100: 0.8 GiB, 1.5x the settle time, as evicted
 * workflows replay); 250 keeps the cache near 350 MiB, and with the worker's heap capped at 1 GiB (npm start, the
 * image) 1,200 open windows peaked at 888 MiB. An evicted workflow replays from its history: slower, never wrong.
 */
export const workerCacheShape = {
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(250),
  /** A prebuilt workflow bundle (workers/workflow-bundle.ts; npm start and the image set it): no webpack at start. */
  WORKER_WORKFLOW_BUNDLE: z.string().min(1).optional(),
};

/** The worker's task slots: how many activities and workflow tasks it runs at once; the SDK's defaults (100, 40) when unset. */
export const workerSlotsShape = {
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).max(10_000).optional(),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).max(10_000).optional(),
};

export const apiShape = {
  ...logShape,
  ...temporalShape,
  ...databaseShape,
  ...shopShape,
  AMAZONPAY_IPN_CERT_HOST: amazonPayShape.AMAZONPAY_IPN_CERT_HOST,
  AMAZONPAY_IPN_ALLOW_HTTP_CERT: amazonPayShape.AMAZONPAY_IPN_ALLOW_HTTP_CERT,
  AMAZONPAY_IPN_SANDBOX_CERT_URL: amazonPayShape.AMAZONPAY_IPN_SANDBOX_CERT_URL,
  AMAZONPAY_IPN_SANDBOX_CA_FILE: amazonPayShape.AMAZONPAY_IPN_SANDBOX_CA_FILE,
  AMAZONPAY_MERCHANT_ID: amazonPayShape.AMAZONPAY_MERCHANT_ID,
  AMAZONPAY_IPN_TOPIC_ARNS: amazonPayShape.AMAZONPAY_IPN_TOPIC_ARNS,
  API_PORT: port(DEFAULT_PORTS.API_PORT),
  /** The address the API listens on: loopback unless set (compose sets 0.0.0.0 inside its container). */
  API_HOST: nonEmpty().default('127.0.0.1'),
  API_TOKEN: z.string().min(16, 'must be at least 16 characters'),
  /** The Temporal Web UI operators open a workflow in (the console's order page links there): the dev server's by default. */
  TEMPORAL_UI_URL: z.string().url().default(DEFAULT_URLS.TEMPORAL_UI_URL),
  ...accountsShape,
  ...payloadShape,
  ...codecEndpointShape,
};

export const workerShape = { ...logShape, ...workerMetricsShape, ...workerCacheShape, ...workerSlotsShape, ...temporalShape, ...databaseShape, ...shopShape, ...auPayShape, ...amazonPayShape, ...yahooShape, ...opluxShape, ...gmoPgShape, ...mailShape, ...accountsShape, ...payloadShape };

export type ApiConfig = z.infer<z.ZodObject<typeof apiShape>>;
export type WorkerConfig = z.infer<z.ZodObject<typeof workerShape>>;

export const loadApiConfig = (env = process.env): ApiConfig => parseEnv(apiShape, env);
export const loadWorkerConfig = (env = process.env): WorkerConfig => parseEnv(workerShape, env);
