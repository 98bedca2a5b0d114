import type { ActivityDeps } from '../../activities';
import { opluxTestShops, registerOpluxMerchant } from '../../tests/support/oplux-fixtures';
import type { BenchContext, ProcessRunner } from '../process-runner';
import { amazonPayAuthorizationProcess, withAmazonPay } from './amazon-pay-authorization';
import { auPayChainProcess } from './au-pay-chain';
import { opluxReviewProcess } from './oplux-review';
import { orderOutDeliveryProcess } from './order-out-delivery';

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
    opluxReviewProcess(c),
    await orderOutDeliveryProcess(c, deps),
  ];
}
