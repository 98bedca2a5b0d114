import type { ProviderAccount } from '../../accounts/provider-fields';
import { createGmoPgClient, type GmoPgClient } from '../../gmo-pg/client';

/** A shop's GMO-PG client from its account (ショップID and password) at GMO-PG's endpoint (GMO_PG_BASE_URL). */
export const gmoPgClientFor = (
  config: { GMO_PG_BASE_URL: string; GMO_PG_TIMEOUT_MS: number },
  a: Pick<ProviderAccount<'gmo-pg'>, 'shopId' | 'shopPass'>,
): GmoPgClient => createGmoPgClient({ baseUrl: config.GMO_PG_BASE_URL, shopId: a.shopId, shopPass: a.shopPass, timeoutMs: config.GMO_PG_TIMEOUT_MS });
