import { createAuPayActivities, type AuPayActivityDeps } from './au-pay-activities';
import { createAmazonPayActivities, type AmazonPayActivityDeps } from './amazon-pay-activities';
import { createAmazonPayRecurringActivities } from './amazon-pay-recurring-activities';

export type ActivityDeps = AuPayActivityDeps & Partial<Pick<AmazonPayActivityDeps, 'amazonPayShop'>>;

/** Every activity the renkei worker registers, built over the clients and stores it is given. */
export function createActivities(deps: ActivityDeps) {
  const amazonPay = { ...deps, amazonPayShop: deps.amazonPayShop ?? (() => undefined) };
  return {
    ...createAuPayActivities(deps),
    ...createAmazonPayActivities(amazonPay),
    ...createAmazonPayRecurringActivities(amazonPay),
  };
}
