import { z } from 'zod';
import { nonEmpty } from '../common/env';
import { DEFAULT_URLS } from '../common/local-urls';

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
  /** renkei's sandbox serving SigningCertURL over https (its TLS listener's /__sns/), trusted beside the above; never in production */
  AMAZONPAY_IPN_SANDBOX_CERT_URL: z.string().url().optional(),
  /** the sandbox's TLS certificate (its SANDBOX_TLS_CERT_FILE), the only one trusted for that URL */
  AMAZONPAY_IPN_SANDBOX_CA_FILE: z.string().min(1).optional(),
  /** The configured shop's merchant id (the sandbox's by default): an IPN for any other merchant is refused */
  AMAZONPAY_MERCHANT_ID: nonEmpty().default('RENKEISANDBOXMERCHANT'),
  /** The SNS topics the configured shop's IPNs come from, comma-separated (the sandbox's by default); others are refused */
  AMAZONPAY_IPN_TOPIC_ARNS: nonEmpty().default('arn:aws:sns:ap-northeast-1:000000000000:renkei-sandbox-amazon-pay-ipn')
    .transform((v) => v.split(',').map((t) => t.trim()).filter(Boolean)),
};

export type AmazonPayConfig = z.infer<z.ZodObject<typeof amazonPayShape>>;
