import { ApplicationFailure } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Mailer } from '../mail/mailer';
import type { AmazonPayShop } from './amazon-pay-activities';
import type { ShopLookup } from './provider-shop';
import { attemptTime } from './payment-activities';
import type { GmoPgClient } from '../gmo-pg/client';
import { createPaymentRegistry } from '../payments/registry';
import type { CancelOutcome } from '../payments/provider';
import {
  beginCancel, cancelOrderWithOutbox, countReminder, getPaymentMethodSetting, leaveOrder, outboxProgress, recordExternalOutcome,
  recordProviderOutcome, type CancelRecord,
} from '../db/order-cancel';
import { manualCancelNeededMail, providerCancelFailedMail, providerCancelReminderMail } from '../mail/order-cancel-mails';
import { tellOpluxOfCancel } from '../oplux/order-feedback';
import type { CancelDecision, CancelSource, CancelStatus, OrderCancelState, PaymentRef, ProviderOutcome } from '../workflows/order-cancel-messages';
import { wakeOrderOutDelivery } from '../order-out/wake-delivery';
import { statusChanged } from '../metrics/business-events';

export interface OrderCancelActivityDeps {
  db: Pool;
  mailer: Mailer;
  amazonPayShop: ShopLookup<AmazonPayShop>;
  notifyEmail(shopId: string): string | undefined;
  /**
   * GMO-PG on this worker: each shop's client (from its sealed gmo-pg account), and the clock a cancel plan reads
   * (the attempt's time unless given); absent (no GMO-PG base URL): GMO-PG cancels fail, named
   */
  gmoPg?: { shop: ShopLookup<GmoPgClient>; now?: () => Date };
  /** to wake the order's order data OUT delivery at once; absent, the dispatcher wakes it on its next poll */
  temporal?: { client: Client; taskQueue: string };
}

/** What the provider step ends with when it does not fail. */
export interface ProviderResult {
  outcome: Exclude<ProviderOutcome, 'failed' | 'left-at-provider' | 'canceled-by-hand'>;
  detail: string | null;
  /** the provider side still needs a hand (the manual methods) */
  flagged: boolean;
}

/**
 * Where the provider step goes: a provider of the registry and its ref; no call at all; or (no settings for the
 * payment method) the operator. 'gmo-pg' and 'amazon-pay' are the plans recorded before the payment interface.
 */
export type ProviderPlan =
  | { kind: 'provider'; provider: string; ref: string }
  | { kind: 'manual-cancel-needed'; detail: string }
  | { kind: 'gmo-pg'; gmoPgOrderId: string }
  | { kind: 'amazon-pay'; chargeId: string }
  | { kind: 'none'; result: ProviderResult };

/** The record as the saga's state (what a repeated request answers). */
const stateOf = (r: CancelRecord): OrderCancelState => ({
  status: r.status, orderStatus: r.orderStatus, providerOutcome: r.providerOutcome, providerDetail: r.providerDetail,
  providerFlagged: r.providerFlagged, reminders: r.reminders, external: r.externalStatus ?? 'not-sent', externalError: r.externalError,
});

/** A provider cancel that cannot succeed by retrying: the operator reads the message and decides. */
const refused = (message: string) => ApplicationFailure.nonRetryable(message, 'ProviderCancelRefused');

export function createOrderCancelActivities(deps: OrderCancelActivityDeps) {
  const payments = createPaymentRegistry({ ...deps, now: attemptTime });
  /** The registered cancels of before the payment interface: a captured charge is refused, as it was. */
  const legacyCancel = (o: CancelOutcome): ProviderResult => {
    if (o.outcome === 'captured') throw refused(`Amazon Pay: the charge is Captured and cannot be canceled: refund it`);
    return { outcome: o.outcome, detail: o.detail, flagged: false };
  };

  return {
    /**
     * Step 1: the order is キャンセル中, and what the provider step must do, from the payment method's settings:
     * the flag off → not linked; a recurring parent → closed only by the merchant's close (#139); a method renkei
     * has no client for → manual cancel needed; otherwise the provider's client.
     */
    async cancelBeginOrder(i: { shopId: string; orderId: string; source: CancelSource; payment: PaymentRef; runId: string }): Promise<{ alreadyCanceled: boolean; cycle: number; plan: ProviderPlan; current: OrderCancelState }> {
      const record = await beginCancel(deps.db, i);
      statusChanged('cancel', i, record.status, { source: i.source });
      const payment = record.payment;
      const setting = await getPaymentMethodSetting(deps.db, i.shopId, payment.method);
      const none = (outcome: ProviderResult['outcome'], detail: string | null, flagged = false): ProviderPlan => ({ kind: 'none', result: { outcome, detail, flagged } });
      let plan: ProviderPlan;
      if (!setting) {
        // #696: without settings renkei cannot know whether the provider still holds an authorization: a person decides
        plan = { kind: 'manual-cancel-needed', detail: `決済方法 ${payment.method} に設定がありません: 決済代行会社側の与信が残っている可能性があります。決済代行会社の管理画面で確認・取消してください` };
      } else if (!setting.cancelApi) {
        plan = none('not-linked', '取消API連携フラグ: 取消連携しない');
      } else if (setting.provider === 'manual' || !Object.hasOwn(payments, setting.provider)) {
        plan = none('manual-cancel-needed', `決済方法 ${payment.method} はrenkeiから取消できません: 決済代行会社の管理画面で取り消してください`, true);
      } else if (payment.recurringRole === 'parent') {
        plan = none('recurring-parent', '定期親受注: Amazon Payの定期(ChargePermission)は定期の停止(close)でのみ終了します', false);
      } else {
        const provider = payments[setting.provider as keyof typeof payments];
        const ref = provider.refOf(payment);
        plan = ref ? { kind: 'provider', provider: provider.id, ref }
          // a GMO-PG order always has its OrderID; an Amazon Pay order before its charge has nothing to cancel
          : setting.provider === 'gmo-pg' ? none('manual-cancel-needed', 'GMO-PGのOrderIDが受注にありません', true)
            : none('not-charged', `${setting.provider}: the order has no payment at the provider yet`);
      }
      return { alreadyCanceled: record.alreadyCanceled, cycle: record.cycle, plan, current: stateOf(record) };
    },

    /** Registered before the payment interface (open histories still schedule it): the GMO-PG adapter's cancel. */
    async cancelGmoPgTrade(i: { shopId: string; gmoPgOrderId: string }): Promise<ProviderResult> {
      return legacyCancel(await payments['gmo-pg'].cancel(i.shopId, i.gmoPgOrderId));
    },

    /** Registered before the payment interface (open histories still schedule it): the Amazon Pay adapter's cancel. */
    async cancelAmazonPayCharge(i: { shopId: string; chargeId: string }): Promise<ProviderResult> {
      return legacyCancel(await payments['amazon-pay'].cancel(i.shopId, i.chargeId));
    },

    /** 与信NG時自動受注取消 (#187): whether an NG authorization of this payment method cancels the order. */
    async cancelAutoOnNgSetting(i: { shopId: string; paymentMethod: string }): Promise<boolean> {
      return (await getPaymentMethodSetting(deps.db, i.shopId, i.paymentMethod))?.autoCancelOnNg ?? false;
    },

    /** The provider step's outcome; `awaiting`: the status the saga now waits in (failed: provider-failed). */
    async cancelRecordProvider(i: {
      shopId: string; orderId: string; failed: boolean; awaiting?: Extract<CancelStatus, 'provider-failed' | 'manual-cancel-needed'>;
      result: { outcome: ProviderOutcome; detail: string | null; flagged: boolean };
    }): Promise<void> {
      const status = i.awaiting ?? (i.failed ? 'provider-failed' : 'canceling');
      await recordProviderOutcome(deps.db, {
        shopId: i.shopId, orderId: i.orderId, status, outcome: i.result.outcome, detail: i.result.detail, flagged: i.result.flagged,
      });
      statusChanged('cancel', i, status, { providerOutcome: i.result.outcome });
    },

    /**
     * The operator is told why the provider cancel failed (or that a manual cancel is needed) and what to choose;
     * reminder > 0 is a reminder.
     */
    async cancelMailOperator(i: { shopId: string; orderId: string; paymentMethod: string; reason: string; reminder: number; manual?: boolean }): Promise<void> {
      if (i.reminder > 0) await countReminder(deps.db, i.shopId, i.orderId, i.reminder);
      const to = deps.notifyEmail(i.shopId); // may be unset: the shop's record addresses the mail
      const mail = i.reminder > 0 ? providerCancelReminderMail({ ...i, to }) : i.manual ? manualCancelNeededMail({ ...i, to }) : providerCancelFailedMail({ ...i, to });
      await deps.mailer.send({ ...mail, shopId: i.shopId });
    },

    async cancelLeaveOrder(i: { shopId: string; orderId: string }): Promise<void> {
      await leaveOrder(deps.db, i.shopId, i.orderId);
      statusChanged('cancel', i, 'left');
    },

    /**
     * Step 4: キャンセル and the order data OUT row in one statement, the row watched by the saga (`watchedBy`: told its
     * outcome); then the order's delivery is woken (if it can be).
     */
    async cancelCompleteOrder(
      i: { shopId: string; orderId: string; decision: CancelDecision | null; dedupeKey: string; watchedBy?: string },
    ): Promise<{ outboxId: string }> {
      const outboxId = await cancelOrderWithOutbox(deps.db, i);
      statusChanged('cancel', i, 'canceled', { decision: i.decision ?? undefined });
      await tellOpluxOfCancel(deps, i.shopId, i.orderId); // its O-PLUX review ends, O-PLUX told
      await wakeOrderOutDelivery(deps.temporal, i.shopId, i.orderId);
      return { outboxId };
    },

    async cancelOutboxProgress(i: { outboxId: string }) {
      return outboxProgress(deps.db, i.outboxId);
    },

    async cancelRecordExternal(i: { shopId: string; orderId: string; status: 'pending' | 'delivered' | 'failed'; error: string | null }): Promise<void> {
      await recordExternalOutcome(deps.db, i);
    },
  };
}

export type OrderCancelActivities = ReturnType<typeof createOrderCancelActivities>;
export type { CancelRecord };
