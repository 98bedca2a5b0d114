import type { ActivityDeps } from '../../activities';
import { opluxTestShops, registerOpluxMerchant } from '../../tests/support/oplux-fixtures';
import type { BenchContext, ProcessRunner } from '../process-runner';
import { amazonPayAuthorizationProcess, withAmazonPay } from './amazon-pay-authorization';
import { amazonPayRecurringChargeProcess } from './amazon-pay-recurring-charge';
import { auPayChainProcess } from './au-pay-chain';
import { opluxReviewProcess } from './oplux-review';
import { orderCancelProcess } from './order-cancel';
import { orderOutDeliveryProcess } from './order-out-delivery';
import { shipmentImportProcess } from './shipment-import';
import { yahooWindowProcess } from './yahoo-window';

export type RunnerDeps = ActivityDeps;

/**
 * Every process `npm run bench` measures, in table order; each one's sandbox accounts are set up here and the
 * clients it needs added to `deps` (the one worker is built from them afterwards).
 */
export async function processRunners(c: BenchContext, deps: RunnerDeps): Promise<ProcessRunner[]> {
  withAmazonPay(c, deps);
  await registerOpluxMerchant(c.sandbox);
  deps.opluxShop = opluxTestShops(c.sandbox);
  return [
    auPayChainProcess(c),
    amazonPayAuthorizationProcess(c, 'sync'),
    amazonPayAuthorizationProcess(c, 'async'),
    amazonPayRecurringChargeProcess(c),
    await yahooWindowProcess(c, deps),
    opluxReviewProcess(c),
    await orderCancelProcess(c, deps),
    await orderOutDeliveryProcess(c, deps),
    shipmentImportProcess(c, deps),
  ];
}
