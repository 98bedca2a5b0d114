import { z } from 'zod';
import { nonEmpty } from './env';

/** The shop's O-PLUX account and fraud review settings. Defaults point at the sandbox that `npm start` runs. */
export const opluxShape = {
  OPLUX_EVENT_URL: z.string().url().default('http://127.0.0.1:7480/oplux/v2/event'),
  OPLUX_NORMALIZER_URL: z.string().url().default('http://127.0.0.1:7480/oplux/name-normalizer/'),
  /** Without a shop id the shop has no O-PLUX integration. */
  OPLUX_SHOP_ID: z.string().min(1).optional(),
  OPLUX_CONNECTION_ID: nonEmpty().default('renkei-sandbox-connection'),
  OPLUX_SECRET_KEY: nonEmpty().default('renkei-sandbox-secret'),
  OPLUX_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
};
