import type { AccountStore } from '../../db/provider-accounts';

/** What an IPN is checked against: the shop's Amazon Pay merchant and the SNS topics its IPNs come from. */
export interface AmazonPayIpnAccount {
  merchantId: string;
  topicArns: readonly string[];
}

/** The shop's IPN account, or undefined when the shop has no Amazon Pay; throws when it cannot be read. */
export type AmazonPayIpnAccountLookup = (shopId: string) => Promise<AmazonPayIpnAccount | undefined>;

/**
 * The shop's sealed `amazon-pay` account first (only its settings, as stored for display: no secret is opened in the
 * API), with the deployment's topics when the account names none; the deployment's configured shop otherwise.
 */
export function amazonPayIpnAccounts(o: {
  accounts?: AccountStore;
  /** the environment's account: the configured shop's merchant and topics */
  fallback: (shopId: string) => AmazonPayIpnAccount | undefined;
}): AmazonPayIpnAccountLookup {
  return async (shopId) => {
    const fallback = o.fallback(shopId);
    const sealed = o.accounts ? (await o.accounts.describe(shopId)).find((a) => a.provider === 'amazon-pay') : undefined;
    if (!sealed) return fallback;
    const { merchantId, ipnTopicArns } = sealed.fields;
    if (typeof merchantId !== 'string') return fallback;
    const topicArns = Array.isArray(ipnTopicArns) ? ipnTopicArns : (fallback?.topicArns ?? []);
    return { merchantId, topicArns };
  };
}
