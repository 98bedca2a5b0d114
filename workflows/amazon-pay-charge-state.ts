import { proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { AmazonPayActivities } from '../activities/amazon-pay-activities';
import { chargeNotifiedSignal, type ChargeStateRequest } from './amazon-pay-authorization-messages';
import { localIo, paymentApi } from './retry-policies';

const amazon = proxyActivities<AmazonPayActivities>(paymentApi);
const local = proxyActivities<AmazonPayActivities>(localIo);

const REVIEW_WAIT_LOOKS = 30;

export interface ChargeStateResult {
  looks: number;
  state: string | null;
  /** order data OUT rows written */
  recorded: number;
}

/**
 * A charge that changes after its order's review ended (a capture made in Seller Central, a capture declined, a
 * cancel): the IPN names the charge and carries no state, so each IPN is one more look (getCharge), and a state the
 * order has not recorded yet is recorded and written to the order data OUT (#1319: update, then OUT).
 *
 * Started (or signalled, when running) by the IPN route with signal-with-start before the IPN is acknowledged, so an
 * acknowledged IPN is never lost; one run per charge at a time keeps the looks in order. Ends when no IPN is waiting.
 */
export async function amazonPayChargeStateWorkflow(req: ChargeStateRequest): Promise<ChargeStateResult> {
  // A flag, not a count: IPNs that come while a look runs ask for one more look, not one each.
  // It starts with one look (the IPN that started it).
  let lookAgain = true;
  setHandler(chargeNotifiedSignal, () => void (lookAgain = true));

  const result: ChargeStateResult = { looks: 0, state: null, recorded: 0 };
  // The review may still be finishing (its own capture on authorization sends an IPN too): its record goes first, so
  // the same change is not written twice. Bounded: a review stuck for a minute does not hold the change back.
  for (let i = 0; i < REVIEW_WAIT_LOOKS && (await local.amazonPayReviewRunning(req)); i++) await sleep('2 seconds');
  while (lookAgain) {
    lookAgain = false;
    result.looks += 1;
    const charge = await amazon.readCharge({ shopId: req.shopId, chargeId: req.chargeId });
    result.state = charge.state;
    const { recorded } = await local.recordChargeState({ ...req, state: charge.state, reasonCode: charge.reasonCode, changedAt: charge.changedAt });
    if (recorded) result.recorded += 1;
  }
  return result;
}
