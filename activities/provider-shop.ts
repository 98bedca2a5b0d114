import { ApplicationFailure } from '@temporalio/activity';
import { externalCallFailed } from '../metrics/business-events';

/** Finds a shop's client for one provider: from its sealed account (a database read) or from configuration. */
export type ShopLookup<S> = (shopId: string) => S | undefined | Promise<S | undefined>;

/**
 * The shop's client for one provider, or a non-retryable failure naming the shop and the provider, which the
 * workflow records where the operator sees it.
 */
export function providerShop<S>(
  lookup: ShopLookup<S>,
  provider: string,
  missing: (shopId: string) => Error = (shopId) => ApplicationFailure.nonRetryable(`shop ${shopId} has no ${provider} account configured`, 'UnknownShop'),
): (shopId: string) => Promise<S> {
  return async (shopId) => {
    const shop = await lookup(shopId);
    if (!shop) throw missing(shopId);
    return shop;
  };
}

/**
 * Runs provider calls, turning each error into the Temporal failure `toFailure` decides (retryable or not); with
 * `provider`, each failure is logged and counted (renkei_external_call_failures_total).
 */
export const failingAs = (toFailure: (err: unknown) => unknown, provider?: string) =>
  async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      if (provider) externalCallFailed(provider, { error: err instanceof Error ? err.message : String(err) });
      throw toFailure(err);
    }
  };
