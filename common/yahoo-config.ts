import { z } from 'zod';
import { nonEmpty } from './env';

/**
 * The shop's Yahoo!ショッピング store account and its payment-method-change window settings. Defaults point at the
 * sandbox that `npm start` runs.
 */
export const yahooShape = {
  YAHOO_API_BASE_URL: z.string().url().default('http://127.0.0.1:7480/yahoo/ShoppingWebService/V1'),
  YAHOO_TOKEN_URL: z.string().url().default('http://127.0.0.1:7480/yahoo/yconnect/v2'),
  YAHOO_SELLER_ID: nonEmpty().default('renkei-sandbox-store'),
  YAHOO_CLIENT_ID: nonEmpty().default('renkei-sandbox-app'),
  YAHOO_CLIENT_SECRET: nonEmpty().default('renkei-sandbox-secret'),
  /** Without a refresh token the shop has no Yahoo integration. */
  YAHOO_REFRESH_TOKEN: z.string().min(1).optional(),
  YAHOO_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
};
