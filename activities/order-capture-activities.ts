import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { recordChargeState } from '../db/amazon-pay-charge-states';
import { recordCaptureRefusal } from '../db/amazon-pay-orders';
import type { PaymentStatusView } from '../payments/provider';
import { wakeOrderOutDelivery } from '../order-out/wake-delivery';
import { tellOpluxOfCharge } from '../oplux/order-feedback';

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
      if (i.provider === 'amazon-pay') await recordCaptureRefusal(deps.db, i.shopId, i.orderId, i.error);
    },
  };
}

export type OrderCaptureActivities = ReturnType<typeof createOrderCaptureActivities>;
