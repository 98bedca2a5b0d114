import type { WorkerConfig } from '../../config';
import type { AccountStore } from '../../db/provider-accounts';
import type { ShopLookup } from '../../activities/provider-shop';
import type { AuPayShop } from '../../activities/au-pay-activities';
import type { AmazonPayShop } from '../../activities/amazon-pay-activities';
import type { YahooShop } from '../../activities/yahoo-window-activities';
import type { OpluxShop } from '../../activities/oplux-review-activities';
import type { GmoPgClient } from '../../gmo-pg/client';
import type { ExternalSystemEndpoint } from '../../order-out/sender';
import { shopsFromAccounts } from '../account-shops';
import { auPayClientFor, auPayEnvAccount } from './au-pay';
import { amazonPayClientFor, amazonPayEnvAccount } from './amazon-pay';
import { yahooClientFor, yahooEnvAccount } from './yahoo';
import { opluxClientFor, opluxEnvAccount } from './oplux';
import { gmoPgClientFor } from './gmo-pg';
import { externalSystemClientFor } from './external-system';

export { auPayClientFor, amazonPayClientFor, yahooClientFor, opluxClientFor, gmoPgClientFor, externalSystemClientFor };

/**
 * Each shop's client for each provider, as the worker hands them to its activities: built from the shop's sealed
 * account, and for the deployment's configured shop (SHOP_ID) only, from the environment's variables when it has
 * none sealed. Credentials stay in the worker's memory: workflows carry only shop ids.
 */
export function shopClients(config: WorkerConfig, accounts: AccountStore | undefined) {
  const configured = <S>(shop: S | undefined) => (shopId: string): S | undefined => (shopId === config.SHOP_ID ? shop : undefined);
  // SHOP_NOTIFY_EMAIL is the configured shop's only: another shop's mails go to the addresses its record keeps
  const notifyEmailOf = (shopId: string) => (shopId === config.SHOP_ID ? config.SHOP_NOTIFY_EMAIL : undefined);
  const yahooSettings = () => ({
    window: { deadlineAction: config.YAHOO_DEADLINE_ACTION, cancelReason: config.YAHOO_CANCEL_REASON },
    sweep: { pageSize: config.YAHOO_SWEEP_PAGE_SIZE, requestsPerSecond: config.YAHOO_REQUESTS_PER_SECOND, lookbackDays: 1, parallel: 20 },
  });
  const auPay = (a: Parameters<typeof auPayClientFor>[1], shopId: string): AuPayShop => ({ notifyEmail: notifyEmailOf(shopId), client: auPayClientFor(config, a) });
  const amazonPay = (a: Parameters<typeof amazonPayClientFor>[1], shopId: string): AmazonPayShop => ({ notifyEmail: notifyEmailOf(shopId), client: amazonPayClientFor(config, a) });
  const yahoo = (a: Parameters<typeof yahooClientFor>[1], shopId: string): YahooShop => ({ client: yahooClientFor(config, a), notifyEmail: notifyEmailOf(shopId), ...yahooSettings() });
  const oplux = (a: Parameters<typeof opluxClientFor>[1], shopId: string): OpluxShop => ({
    notifyEmail: notifyEmailOf(shopId), client: opluxClientFor(config, a),
    settings: { ...config.OPLUX_SETTINGS, orderOutControl: config.OPLUX_ORDER_OUT_CONTROL, productKey: config.OPLUX_PRODUCT_KEY },
  });
  const envAmazonPay = amazonPayEnvAccount(config);
  const envYahoo = yahooEnvAccount(config);
  const envOplux = opluxEnvAccount(config);
  const gmoPgUrl = config.GMO_PG_BASE_URL;
  return {
    shop: shopsFromAccounts({ accounts, provider: 'au-pay', build: auPay, fallback: configured(auPay(auPayEnvAccount(config), config.SHOP_ID)) }),
    amazonPayShop: shopsFromAccounts({ accounts, provider: 'amazon-pay', build: amazonPay, fallback: configured(envAmazonPay && amazonPay(envAmazonPay, config.SHOP_ID)) }),
    yahooShop: shopsFromAccounts({ accounts, provider: 'yahoo', build: yahoo, fallback: configured(envYahoo && yahoo(envYahoo, config.SHOP_ID)) }),
    opluxShop: shopsFromAccounts({ accounts, provider: 'oplux', build: oplux, fallback: configured(envOplux && oplux(envOplux, config.SHOP_ID)) }),
    /** absent without GMO_PG_BASE_URL: GMO-PG cancels then fail, named */
    gmoPgShop: gmoPgUrl ? gmoPgClients({ ...config, GMO_PG_BASE_URL: gmoPgUrl }, accounts) : undefined,
    externalSystem: externalSystemClients(accounts),
  };
}

/** Each shop's GMO-PG client from its sealed account, its account read at every call (a changed password applies at once). */
export const gmoPgClients = (config: Parameters<typeof gmoPgClientFor>[0], accounts: AccountStore | undefined): ShopLookup<GmoPgClient> =>
  shopsFromAccounts({ accounts, provider: 'gmo-pg', build: (a) => gmoPgClientFor(config, a), fallback: () => undefined, refreshMs: 0 });

/** Each shop's external system from its sealed account, kept 5 s (a changed URL or secret applies within that); a missing one is read again. */
export const externalSystemClients = (accounts: AccountStore | undefined): ShopLookup<ExternalSystemEndpoint> =>
  shopsFromAccounts({ accounts, provider: 'external-system', build: externalSystemClientFor, fallback: () => undefined, refreshMs: 5_000, rememberMissing: false });
