import { ApplicationFailure, Context, sleep as activitySleep } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { AccountStore } from '../db/provider-accounts';
import { claimUndispatched, getOutboxDelivery, getOutboxRow, markFailed, nextUndelivered, recordAttempt, recordDelivered, settleOpluxHold } from '../db/order-out';
import { orderOutFailedMail } from '../mail/order-out-mails';
import type { Mailer } from '../mail/mailer';
import { pickFields, type OrderOutMessage } from '../order-out/payload';
import { deliveryVerdict, sendOrderOut, type ExternalSystemEndpoint } from '../order-out/sender';
import { providerShop, type ShopLookup } from './provider-shop';
import { tellOutboxWatcher } from '../order-out/tell-watcher';
import { wakeOrderOutDelivery } from '../order-out/wake-delivery';
import { orderOutDelivery } from '../metrics/business-events';

export interface OrderOutActivityDeps {
  db: Pool;
  mailer: Mailer;
  /** Sealed accounts: the dispatcher wakes the deliveries of the shops with an external system. */
  accounts?: AccountStore;
  /** Each shop's external system (URL and signing secret, from its sealed account). */
  externalSystem: ShopLookup<ExternalSystemEndpoint>;
  /** The shop's error address. */
  notifyEmail(shopId: string): string | undefined;
  /** For the dispatcher, which wakes one delivery workflow per order. */
  temporal?: { client: Client; taskQueue: string };
  orderOutTimeoutMs?: number;
}

/** When the activity runs under Temporal, the server's time of this attempt (tests skip time); else the wall clock. */
const attemptTime = (): Date => {
  try {
    return new Date(Context.current().info.currentAttemptScheduledTimestampMs);
  } catch {
    return new Date();
  }
};

export function createOrderOutActivities(deps: OrderOutActivityDeps) {
  const externalSystem = providerShop(deps.externalSystem, 'external-system', (shopId) =>
    ApplicationFailure.nonRetryable(`shop ${shopId} has no external-system account: set it with PUT /shops/${shopId}/accounts/external-system`, 'UnknownAccount'));

  return {
    /**
     * The next row to send; none while the order's O-PLUX review holds it back (its rows held or withheld first), and
     * none while the shop has no external system: its rows wait, pending, for the dispatcher to wake them once it has
     * one (a shop that takes no order data OUT is not mailed a failure for each of its orders' changes).
     */
    async nextOrderOut(i: { shopId: string; orderId: string }): Promise<{ outboxId: string; status: 'pending' | 'failed'; event: string } | null> {
      if (!(await deps.externalSystem(i.shopId))) return null;
      await settleOpluxHold(deps.db, i.shopId, i.orderId);
      const row = await nextUndelivered(deps.db, i.shopId, i.orderId);
      return row ? { outboxId: row.id, status: row.status as 'pending' | 'failed', event: row.event } : null;
    },

    /** One attempt, recorded whatever happens; Temporal's retry policy makes the next. */
    async deliverOrderOut(i: { outboxId: string }): Promise<{ httpStatus: number }> {
      const row = await getOutboxDelivery(deps.db, i.outboxId);
      if (!row) throw ApplicationFailure.nonRetryable(`order OUT ${i.outboxId} does not exist`, 'NotFound');
      if (row.status === 'delivered') { // a retry after the answer was recorded (its watcher may not have heard)
        await tellOutboxWatcher(deps.temporal, row, { status: 'delivered', lastError: null });
        return { httpStatus: 200 };
      }
      const shop = await externalSystem(row.shopId);
      const now = attemptTime();
      const message: OrderOutMessage = {
        id: `renkei-out-${row.id}`, event: row.event, shopId: row.shopId, orderId: row.orderId, occurredAt: row.createdAt,
        order: pickFields(row.payload, row.fields),
      };
      const outcome = await sendOrderOut({ url: shop.url, secret: shop.secret, message, timeoutMs: deps.orderOutTimeoutMs ?? 10_000, now });
      const verdict = deliveryVerdict(outcome.httpStatus);
      const event = { shopId: row.shopId, orderId: row.orderId, outboxId: row.id, event: row.event, httpStatus: outcome.httpStatus };
      if (verdict === 'delivered') {
        await recordDelivered(deps.db, { outboxId: row.id, at: now, ...outcome });
        orderOutDelivery('delivered', event);
        await tellOutboxWatcher(deps.temporal, row, { status: 'delivered', lastError: null });
        return { httpStatus: outcome.httpStatus! };
      }
      await recordAttempt(deps.db, { outboxId: row.id, at: now, ...outcome });
      const reason = outcome.error ?? `HTTP ${outcome.httpStatus}: ${(outcome.responseExcerpt ?? '').slice(0, 200)}`;
      // the reason without the answer's body (the external system's text may echo the order)
      orderOutDelivery(verdict === 'rejected' ? 'rejected' : 'retrying', { ...event, error: outcome.error ?? `HTTP ${outcome.httpStatus}` });
      if (verdict === 'rejected') throw ApplicationFailure.nonRetryable(`the external system refused it: ${reason}`, 'Rejected');
      throw ApplicationFailure.retryable(reason, 'DeliveryFailed');
    },

    /** Retries spent or refused: the row is failed (and holds later ones back), and the shop hears of it. */
    async failOrderOut(i: { outboxId: string; error: string }): Promise<void> {
      const row = await getOutboxRow(deps.db, i.outboxId);
      if (!row || row.status === 'delivered') return;
      await markFailed(deps.db, row.id, i.error);
      await tellOutboxWatcher(deps.temporal, row, { status: 'failed', lastError: i.error });
      orderOutDelivery('failed', { shopId: row.shopId, orderId: row.orderId, outboxId: row.id, event: row.event, error: i.error.slice(0, 200) });
      // addressed by the shop's record; the configured shop's address when it keeps none
      const to = deps.notifyEmail(row.shopId);
      await deps.mailer.send(orderOutFailedMail({ to, shopId: row.shopId, orderId: row.orderId, outboxId: row.id, event: row.event, attempts: row.attempts, error: i.error }));
    },

    /**
     * The dispatcher: for `runForMs`, every `pollMs`, wakes (signal-with-start) one delivery workflow per order that
     * has new rows, for the shops that have an external system. Heartbeats, so a dead worker's run is taken over.
     */
    async dispatchOrderOut(i: { runForMs: number; pollMs: number }): Promise<number> {
      if (!deps.temporal || !deps.accounts) return 0;
      const { client, taskQueue } = deps.temporal;
      const until = Date.now() + i.runForMs;
      let woken = 0;
      do {
        const shops = await deps.accounts.shopsWith('external-system');
        for (const ref of await claimUndispatched(deps.db, { shops, staleAfterSeconds: 300, limit: 500 })) {
          await wakeOrderOutDelivery({ client, taskQueue }, ref.shopId, ref.orderId);
          woken += 1;
        }
        Context.current().heartbeat(woken);
        if (Date.now() >= until) break;
        await activitySleep(i.pollMs); // throws when the activity is cancelled
      } while (Date.now() < until);
      return woken;
    },
  };
}
