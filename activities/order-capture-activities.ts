import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { recordChargeState } from '../db/amazon-pay-charge-states';
import { recordCaptureRefusal } from '../db/amazon-pay-orders';
import type { PaymentStatusView } from '../payments/provider';
import { wakeOrderOutDelivery } from '../order-out/wake-delivery';
import { tellOpluxOfCharge } from '../oplux/order-feedback';
import { CAPTURE_STATUS, setCaptureStatus, type CaptureStatus } from '../db/order-shipments';
import { statusChanged } from '../metrics/business-events';

export interface OrderCaptureActivityDeps {
  db: Pool;
  /** to wake the order's order data OUT delivery at once; absent, the dispatcher wakes it on its next poll */
  temporal?: { client: Client; taskQueue: string };
}

/** The capture on shipment's records on the order: where the order's payment is kept for its provider. */
export function createOrderCaptureActivities(deps: OrderCaptureActivityDeps) {
  return {
    /**
     * The payment's new state on the order and its order data OUT row, once per charge and state (the same key the
     * IPN path writes with, so a state read here and told by an IPN is written once).
     */
    async captureRecordState(i: { shopId: string; orderId: string; provider: string; view: PaymentStatusView }): Promise<boolean> {
      await recordShipmentCapture(deps.db, i, captureStatusOf(i.view), i.view.phase === 'failed' ? `${i.view.state}: ${i.view.reasonCode ?? 'declined'}` : null);
      if (i.provider !== 'amazon-pay') return false; // other providers' orders are not kept by renkei (yet)
      const { recorded } = await recordChargeState(deps.db, {
        shopId: i.shopId, orderId: i.orderId, chargeId: i.view.id, state: i.view.state, reasonCode: i.view.reasonCode, changedAt: i.view.changedAt,
      });
      if (recorded) {
        await tellOpluxOfCharge(deps, i.shopId, i.orderId, i.view.state); // O-PLUX決済ステータス follows, as on the IPN path
        await wakeOrderOutDelivery(deps.temporal, i.shopId, i.orderId);
      }
      return recorded;
    },

    /** The provider refused the capture: the order shows why (its state is unchanged). */
    async captureRecordRefusal(i: { shopId: string; orderId: string; provider: string; error: string }): Promise<void> {
      await recordShipmentCapture(deps.db, i, CAPTURE_STATUS.error, i.error);
      if (i.provider === 'amazon-pay') await recordCaptureRefusal(deps.db, i.shopId, i.orderId, i.error);
    },
  };
}

const captureStatusOf = (view: PaymentStatusView): CaptureStatus =>
  view.phase === 'succeeded' ? CAPTURE_STATUS.captured : view.phase === 'failed' ? CAPTURE_STATUS.error : CAPTURE_STATUS.capturing;

/** An imported shipment's 売上確定 status (order_shipments), for every provider; an order no import shipped has none. */
async function recordShipmentCapture(db: Pool, i: { shopId: string; orderId: string; provider: string }, status: CaptureStatus, error: string | null): Promise<void> {
  if (await setCaptureStatus(db, i.shopId, i.orderId, status, error)) {
    statusChanged('shipment', i, status, { provider: i.provider, ...(error ? { error } : {}) });
  }
}

export type OrderCaptureActivities = ReturnType<typeof createOrderCaptureActivities>;
