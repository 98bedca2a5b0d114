import type { ProviderAccount } from '../../accounts/provider-fields';
import type { ExternalSystemEndpoint } from '../../order-out/sender';

/** A shop's external system (order data OUT) from its account: the receiving URL and the signing secret. */
export const externalSystemClientFor = (a: ProviderAccount<'external-system'>): ExternalSystemEndpoint => ({ url: a.url, secret: a.signingSecret });
