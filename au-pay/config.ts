import { z } from 'zod';
import { nonEmpty } from '../common/env';
import { DEFAULT_URLS } from '../common/local-urls';

/** Where au PAY is, and the configured shop's store account (the sandbox's by default). */
export const auPayShape = {
  AUPAY_BASE_URL: z.string().url().default(DEFAULT_URLS.AUPAY_BASE_URL),
  AUPAY_SHOP_ID: z.string().regex(/^\d{1,20}$/, 'the numeric au PAY store id').default('12345678'),
  AUPAY_API_KEY: nonEmpty().default('sandbox-api-key'),
  AUPAY_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
};

export type AuPayConfig = z.infer<z.ZodObject<typeof auPayShape>>;
