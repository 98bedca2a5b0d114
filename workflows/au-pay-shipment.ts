import {
  ActivityFailure, allHandlersFinished, ApplicationFailure, condition, proxyActivities, setHandler, TimeoutFailure,
  upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { AuPayActivities } from '../activities/au-pay-activities';
import { isErrorStatus, LINK_STATUS, resetRefusal, shippingPrecondition, TIMEOUT_MESSAGE, type LinkStatus, type ManualStatus, type ShipmentReport } from './au-pay-link-status';
import { actedBy, type ActedBy } from './acted-by';
import { linkStateQuery, resetLinkStatusUpdate, shipmentReportedSignal } from './au-pay-shipment-messages';
import { localIo, marketplaceApi } from './retry-policies';
import { AU_PAY_LINK_STATUS } from './search-attributes';
import { stepKey } from './workflow-ids';

const market = proxyActivities<AuPayActivities>(marketplaceApi);
const local = proxyActivities<AuPayActivities>(localIo);

export interface AuPayShipmentResult {
  status: LinkStatus;
  lastError: string | null;
}

/**
 * au PAY ship-then-complete (seed 004), one per shipped order: push 発送日・配送会社・配送お問い合せ番号, then
 * the 完了 status. A failure stops the chain at an error status, mails the shop, and waits for an operator to reset.
 */
export async function auPayShipmentWorkflow(report: ShipmentReport): Promise<AuPayShipmentResult> {
  const { workflowId } = workflowInfo();
  let shipment = report;
  let status: LinkStatus = LINK_STATUS.blank;
  let lastError: string | null = null;
  let cycle = 0;
  let requested: ManualStatus | undefined; // an operator's reset, applied by the main loop

  setHandler(shipmentReportedSignal, (latest) => void (shipment = latest));
  setHandler(linkStateQuery, () => ({ status, lastError, cycle }));
  setHandler(
    resetLinkStatusUpdate,
    (target, by?: ActedBy) => {
      actedBy(`link status reset to ${target}`, by);
      requested = target;
      return { previous: status, status: target };
    },
    {
      validator: (target, _by?: ActedBy) => {
        const why = requested !== undefined ? `a reset to ${requested} is already being applied` : resetRefusal(status, target);
        if (why) throw new Error(why);
      },
    },
  );

  const order = () => ({ shopId: shipment.shopId, orderId: shipment.orderId, auPayOrderId: shipment.auPayOrderId });

  /** Persists a status, then shows it (query, search attribute): what an operator sees is already stored. */
  async function enter(next: LinkStatus, error: string | null, precheck?: { operation: string }) {
    await local.saveLinkStatus({ ...order(), status: next, error, precheck });
    status = next;
    lastError = error;
    upsertSearchAttributes([{ key: AU_PAY_LINK_STATUS, value: next }]);
  }

  async function fail(phase: 'shipping' | 'completion', message: string, precheck?: { operation: string }) {
    await enter(phase === 'shipping' ? LINK_STATUS.shipError : LINK_STATUS.completeError, message, precheck);
    await local.sendLinkErrorMail({ ...order(), phase, message });
  }

  while (status !== LINK_STATUS.completed) {
    if (isErrorStatus(status)) {
      await condition(() => requested !== undefined); // an operator's reset (seed 004 section 6)
      cycle += 1;
      await enter(requested!, null);
      // cleared only once the reset is stored: until then a second reset is refused, never accepted and then lost
      requested = undefined;
      continue;
    }
    if (status === LINK_STATUS.blank) {
      const pre = shippingPrecondition(shipment);
      if ('skip' in pre) {
        await enter(LINK_STATUS.notTarget, pre.skip);
        break;
      }
      if ('error' in pre) {
        await fail('shipping', pre.error, { operation: 'updateTradeInfoProc' });
        continue;
      }
      try {
        await market.pushShippingInfo({
          ...order(), shipDate: pre.shipDate, carrier: shipment.carrier, trackingNumber: shipment.trackingNumber,
          idempotencyKey: stepKey(workflowId, 'shipping', cycle),
        });
        status = LINK_STATUS.shipped;
        upsertSearchAttributes([{ key: AU_PAY_LINK_STATUS, value: status }]);
      } catch (err) {
        await fail('shipping', failureMessage(err));
      }
    } else if (status === LINK_STATUS.shipped) {
      try {
        await market.pushCompletion({ ...order(), idempotencyKey: stepKey(workflowId, 'completion', cycle) });
        status = LINK_STATUS.completed;
        upsertSearchAttributes([{ key: AU_PAY_LINK_STATUS, value: status }]);
      } catch (err) {
        await fail('completion', failureMessage(err));
      }
    }
  }
  await condition(allHandlersFinished);
  return { status, lastError };
}

/** The message shown to the shop for a failed call: the market's own words, or the seed's timeout text. */
function failureMessage(err: unknown): string {
  if (!(err instanceof ActivityFailure)) throw err;
  const cause = err.cause;
  if (cause instanceof TimeoutFailure) return TIMEOUT_MESSAGE;
  if (cause instanceof ApplicationFailure) return cause.type === 'AuPayTimeout' ? TIMEOUT_MESSAGE : cause.message;
  return cause?.message ?? err.message;
}
