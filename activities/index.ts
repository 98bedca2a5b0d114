import { createAuPayActivities, type AuPayActivityDeps } from './au-pay-activities';
import { createAmazonPayActivities, type AmazonPayActivityDeps } from './amazon-pay-activities';
import { createAmazonPayRecurringActivities } from './amazon-pay-recurring-activities';
import { createYahooWindowActivities, type YahooActivityDeps } from './yahoo-window-activities';
import { createOpluxReviewActivities, type OpluxActivityDeps } from './oplux-review-activities';
import { createMailActivities } from './mail-activities';
import { createOrderOutActivities, type OrderOutActivityDeps } from './order-out-activities';
import { createOrderCancelActivities, type OrderCancelActivityDeps } from './order-cancel-activities';
import { createAmountChangeActivities } from './amount-change-activities';
import { createPaymentActivities } from './payment-activities';
import { createOrderCaptureActivities } from './order-capture-activities';
import { createApiKeyActivities } from './api-key-activities';
import { createProcessFailureActivities } from './process-failure-activities';
import { createBulkActionActivities } from './bulk-action-activities';
import { createShipmentImportActivities } from './shipment-import-activities';
import { createThrottledMailer } from '../mail/throttled-mailer';
import { addressedByShop } from '../mail/shop-recipients';
import type { ShopDirectory } from '../shops/shop-directory';
import { deliveringTo } from '../order-out/wake-delivery';

export type ActivityDeps = AuPayActivityDeps &
  Partial<Pick<AmazonPayActivityDeps, 'amazonPayShop'>> &
  Partial<Pick<YahooActivityDeps, 'yahooShop'>> &
  { /** the shops' records and settings in PostgreSQL (the worker reads them; tests may not) */ shops?: Pick<ShopDirectory, 'settings' | 'record'> } &
  Partial<Pick<OpluxActivityDeps, 'opluxShop'>> &
  Partial<Pick<OrderOutActivityDeps, 'accounts' | 'externalSystem' | 'notifyEmail' | 'temporal' | 'orderOutTimeoutMs'>> &
  Partial<Pick<OrderCancelActivityDeps, 'gmoPg'>>;

/** Every activity the renkei worker registers, built over the clients and stores it is given. */
export function createActivities(given: ActivityDeps) {
  // every mail an activity sends goes through the throttle (#1241)
  // a shop's mails go to the addresses it keeps (when the worker reads shops), each through the throttle
  const throttled = createThrottledMailer(given.db, given.mailer);
  const { externalSystem } = given;
  // the order data OUT delivery is woken only for shops that have an external system to deliver to
  const temporal = given.temporal && externalSystem ? deliveringTo(given.temporal, externalSystem) : given.temporal;
  const deps = { ...given, temporal, mailer: given.shops ? addressedByShop(given.shops, throttled) : throttled };
  const amazonPay = { ...deps, amazonPayShop: deps.amazonPayShop ?? (() => undefined) };
  return merge(
    createAuPayActivities(deps),
    createAmazonPayActivities(amazonPay),
    createAmazonPayRecurringActivities(amazonPay),
    createYahooWindowActivities({ ...deps, yahooShop: deps.yahooShop ?? (() => undefined) }),
    createOpluxReviewActivities({ ...deps, opluxShop: deps.opluxShop ?? (() => undefined) }),
    createMailActivities({ db: deps.db, smtp: given.mailer }),
    createOrderOutActivities({ ...deps, externalSystem: deps.externalSystem ?? (() => undefined), notifyEmail: deps.notifyEmail ?? (() => undefined) }),
    createApiKeyActivities({ ...deps, notifyEmail: deps.notifyEmail ?? (() => undefined) }),
    createOrderCancelActivities({ ...amazonPay, notifyEmail: deps.notifyEmail ?? (() => undefined) }),
    createAmountChangeActivities(amazonPay),
    createPaymentActivities(amazonPay),
    createOrderCaptureActivities(deps),
    createBulkActionActivities(deps),
    createShipmentImportActivities({ ...deps, yahooShop: deps.yahooShop ?? (() => undefined) }),
    // the shop's address, or (until shops keep their own) the one its au PAY configuration gives
    createProcessFailureActivities({ ...deps, notifyEmail: async (shopId) => deps.notifyEmail?.(shopId) ?? (await deps.shop(shopId))?.notifyEmail }),
  );
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** Activities are registered by name, so two with one name would silently replace each other: refuse that. */
function merge<T extends object[]>(...groups: T): UnionToIntersection<T[number]> {
  const all: Record<string, unknown> = {};
  for (const group of groups) {
    for (const [name, fn] of Object.entries(group)) {
      if (name in all) throw new Error(`two activities are named ${name}: activity names must be unique across the worker`);
      all[name] = fn;
    }
  }
  return all as UnionToIntersection<T[number]>;
}
