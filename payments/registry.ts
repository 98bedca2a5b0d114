import type { Pool } from 'pg';
import type { AmazonPayShop } from '../activities/amazon-pay-activities';
import { providerShop, type ShopLookup } from '../activities/provider-shop';
import type { GmoPgClient } from '../gmo-pg/client';
import { amazonPayProvider } from './amazon-pay';
import { gmoPgProvider } from './gmo-pg';
import type { PaymentProvider } from './provider';
import { refused } from './refused';

/** What the adapters are built over: each provider's client per shop, as the worker builds them (workers/shop-clients). */
export interface PaymentRegistryDeps {
  db: Pool;
  amazonPayShop: ShopLookup<AmazonPayShop>;
  /** absent (no GMO-PG base URL on this worker): GMO-PG calls are refused, named */
  gmoPg?: { shop: ShopLookup<GmoPgClient>; now?: () => Date };
  /** the time of this attempt (the server's under Temporal), for a GMO-PG cancel plan without its own clock */
  now: () => Date;
}

/** The payment providers renkei has a client for, by the id payment_method_settings names; 'manual' is none of them. */
export const PAYMENT_PROVIDERS = ['gmo-pg', 'amazon-pay'] as const;
export type PaymentProviderId = (typeof PAYMENT_PROVIDERS)[number];

/** One line per provider: a third provider is its adapter and one line here (and its id in PAYMENT_PROVIDERS). */
export function createPaymentRegistry(deps: PaymentRegistryDeps): Record<PaymentProviderId, PaymentProvider> {
  const gmoPg = deps.gmoPg && providerShop(deps.gmoPg.shop, 'gmo-pg', (shopId) => refused(`shop ${shopId} has no gmo-pg account: set it with PUT /shops/${shopId}/accounts/gmo-pg`));
  const amazonPay = providerShop(deps.amazonPayShop, 'amazon-pay', (shopId) => refused(`shop ${shopId} has no Amazon Pay account configured`));
  return {
    'gmo-pg': gmoPgProvider({
      client: async (shopId) => {
        if (!gmoPg) throw refused(`GMO-PG is not configured on this worker (no GMO-PG base URL): shop ${shopId}`);
        return gmoPg(shopId);
      },
      now: () => deps.gmoPg?.now?.() ?? deps.now(),
    }),
    'amazon-pay': amazonPayProvider({ db: deps.db, client: async (shopId) => (await amazonPay(shopId)).client }),
  };
}

/** The provider for an id, or a refusal naming it (a setting that names a provider this renkei does not know). */
export function providerOf(registry: Record<string, PaymentProvider>, id: string): PaymentProvider {
  const provider = Object.hasOwn(registry, id) ? registry[id] : undefined;
  if (!provider) throw refused(`renkei has no client for the payment provider ${id}`);
  return provider;
}

export const isPaymentProvider = (id: string): id is PaymentProviderId => (PAYMENT_PROVIDERS as readonly string[]).includes(id);
