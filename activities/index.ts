import { createAuPayActivities, type AuPayActivityDeps } from './au-pay-activities';
import { createAmazonPayActivities, type AmazonPayActivityDeps } from './amazon-pay-activities';
import { createAmazonPayRecurringActivities } from './amazon-pay-recurring-activities';
import { createYahooWindowActivities, type YahooActivityDeps } from './yahoo-window-activities';
import { createOpluxReviewActivities, type OpluxActivityDeps } from './oplux-review-activities';

export type ActivityDeps = AuPayActivityDeps &
  Partial<Pick<AmazonPayActivityDeps, 'amazonPayShop'>> &
  Partial<Pick<YahooActivityDeps, 'yahooShop'>> &
  Partial<Pick<OpluxActivityDeps, 'opluxShop'>>;

/** Every activity the renkei worker registers, built over the clients and stores it is given. */
export function createActivities(deps: ActivityDeps) {
  const amazonPay = { ...deps, amazonPayShop: deps.amazonPayShop ?? (() => undefined) };
  return {
    ...createAuPayActivities(deps),
    ...createAmazonPayActivities(amazonPay),
    ...createAmazonPayRecurringActivities(amazonPay),
    ...createYahooWindowActivities({ ...deps, yahooShop: deps.yahooShop ?? (() => undefined) }),
    ...createOpluxReviewActivities({ ...deps, opluxShop: deps.opluxShop ?? (() => undefined) }),
  };
}
