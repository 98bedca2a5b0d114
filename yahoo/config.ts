import { z } from 'zod';
import { nonEmpty } from '../common/env';
import { DEFAULT_URLS } from '../common/local-urls';
import { STORE_CANCEL_REASONS } from './schemas';

/**
 * The shop's Yahoo!ショッピング store account and its payment-method-change window settings. Defaults point at the
 * sandbox that `npm start` runs.
 */
export const yahooShape = {
  YAHOO_API_BASE_URL: z.string().url().default(DEFAULT_URLS.YAHOO_API_BASE_URL),
  YAHOO_TOKEN_URL: z.string().url().default(DEFAULT_URLS.YAHOO_TOKEN_URL),
  YAHOO_SELLER_ID: nonEmpty().default('renkei-sandbox-store'),
  YAHOO_CLIENT_ID: nonEmpty().default('renkei-sandbox-app'),
  YAHOO_CLIENT_SECRET: nonEmpty().default('renkei-sandbox-secret'),
  /** Without a refresh token the shop has no Yahoo integration. */
  YAHOO_REFRESH_TOKEN: z.string().min(1).optional(),
  YAHOO_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** At the payment-method-change deadline: cancel the order at Yahoo, or hand it to an operator (status and mail). */
  YAHOO_DEADLINE_ACTION: z.enum(['cancel', 'operator']).default('operator'),
  /** The store CancelReason sent with the deadline cancel: 200 決済方法都合 by default (170 決済審査不可 also fits). */
  YAHOO_CANCEL_REASON: z.enum(STORE_CANCEL_REASONS).refine((r) => r !== '230', '230 needs a CancelReasonDetail; choose another').default('200'),
  /** How often the sweep runs (a Temporal Schedule interval, e.g. "10 minutes"). */
  YAHOO_SWEEP_EVERY: z.string().regex(/^\d+\s*(s|m|h|seconds?|minutes?|hours?)$/, 'e.g. "10 minutes"').default('10 minutes'),
  /** orderList page size of the sweep (Yahoo's maximum is 2000). */
  YAHOO_SWEEP_PAGE_SIZE: z.coerce.number().int().min(1).max(2000).default(2000),
  /** orderList calls per second the sweep allows itself (Yahoo: 10 per API). */
  YAHOO_REQUESTS_PER_SECOND: z.coerce.number().int().min(1).max(100).default(5),
};

export type YahooConfig = z.infer<z.ZodObject<typeof yahooShape>>;
