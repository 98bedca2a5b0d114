import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Mailer } from '../mail/mailer';
import type { AmazonPayShop } from './amazon-pay-activities';
import { providerShop, type ShopLookup } from './provider-shop';
import { AmazonPayApiError } from '../amazon-pay/errors';
import { amazonIdempotencyKey } from '../amazon-pay/idempotency-key';
import { jpy } from '../amazon-pay/schemas';
import { markChildChargeCanceled } from '../db/amazon-pay-recurring';
import type { GmoPgClient, GmoTrade } from '../gmo-pg/client';
import { planCancel } from '../gmo-pg/cancel-plan';
import { GmoPgApiError } from '../gmo-pg/errors';
import { isCancelStatus } from '../gmo-pg/schemas';
import {
  beginCancel, cancelOrderWithOutbox, countReminder, getPaymentMethodSetting, leaveOrder, outboxProgress, recordExternalOutcome,
  lastRefundedTotal, recordAmountChange, recordProviderOutcome, type CancelRecord,
} from '../db/order-cancel';
import { providerCancelFailedMail, providerCancelReminderMail } from '../mail/order-cancel-mails';
import { orderOutDeliveryWorkflow } from '../workflows/order-out-delivery';
import { outboxWrittenSignal } from '../workflows/order-out-messages';
import { orderOutDeliveryWorkflowId } from '../workflows/workflow-ids';
import type { CancelDecision, CancelSource, OrderCancelState, PaymentRef, ProviderOutcome } from '../workflows/order-cancel-messages';

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
  outcome: Exclude<ProviderOutcome, 'failed' | 'left-at-provider'>;
  detail: string | null;
  /** the provider side still needs a hand (the manual methods) */
  flagged: boolean;
}

/** Where the provider step goes: which client, or no call at all. */
export type ProviderPlan =
  | { kind: 'gmo-pg'; gmoPgOrderId: string }
  | { kind: 'amazon-pay'; chargeId: string }
  | { kind: 'none'; result: ProviderResult };

/** The server's time of this attempt when under Temporal (tests skip time), else the wall clock. */
const attemptTime = (): Date => {
  try {
    return new Date(Context.current().info.currentAttemptScheduledTimestampMs);
  } catch {
    return new Date();
  }
};

/** The record as the saga's state (what a repeated request answers). */
const stateOf = (r: CancelRecord): OrderCancelState => ({
  status: r.status, orderStatus: r.orderStatus, providerOutcome: r.providerOutcome, providerDetail: r.providerDetail,
  providerFlagged: r.providerFlagged, reminders: r.reminders, external: r.externalStatus ?? 'not-sent', externalError: r.externalError,
});

/** A provider cancel that cannot succeed by retrying: the operator reads the message and decides. */
const refused = (message: string) => ApplicationFailure.nonRetryable(message, 'ProviderCancelRefused');

/** What an amount change did at the provider. */
export interface AmountChangeResult {
  outcome: 'changed' | 'unchanged' | 'capture-less' | 'refunded' | 'not-linked' | 'manual' | 'failed';
  detail: string | null;
}

export function createOrderCancelActivities(deps: OrderCancelActivityDeps) {
  const gmoPgShop = deps.gmoPg && providerShop(deps.gmoPg.shop, 'gmo-pg', (shopId) => refused(`shop ${shopId} has no gmo-pg account: set it with PUT /shops/${shopId}/accounts/gmo-pg`));
  async function gmoPgClient(shopId: string): Promise<GmoPgClient> {
    if (!gmoPgShop) throw refused(`GMO-PG is not configured on this worker (no GMO-PG base URL): shop ${shopId}`);
    return gmoPgShop(shopId);
  }

  /** SearchTrade, its failures worded for the operator: a transport failure retries, anything else is refused. */
  async function search(client: GmoPgClient, orderId: string): Promise<GmoTrade | null> {
    try {
      return await client.searchTrade(orderId);
    } catch (err) {
      if (err instanceof GmoPgApiError && !err.retryable && !err.stateUnknown) throw refused(`GMO-PG SearchTrade failed: ${err.message}`);
      throw err;
    }
  }

  return {
    /**
     * Step 1: the order is キャンセル中, and what the provider step must do, from the payment method's settings:
     * the flag off → not linked; a recurring parent → closed only by the merchant's close (#139); a method renkei
     * has no client for → manual cancel needed; otherwise the provider's client.
     */
    async cancelBeginOrder(i: { shopId: string; orderId: string; source: CancelSource; payment: PaymentRef; runId: string }): Promise<{ alreadyCanceled: boolean; cycle: number; plan: ProviderPlan; current: OrderCancelState }> {
      const record = await beginCancel(deps.db, i);
      const payment = record.payment;
      const setting = await getPaymentMethodSetting(deps.db, i.shopId, payment.method);
      const none = (outcome: ProviderResult['outcome'], detail: string | null, flagged = false): ProviderPlan => ({ kind: 'none', result: { outcome, detail, flagged } });
      let plan: ProviderPlan;
      if (!setting || !setting.cancelApi) {
        plan = none('not-linked', setting ? '取消API連携フラグ: 取消連携しない' : `決済方法 ${payment.method} に設定がありません(取消連携しない)`);
      } else if (setting.provider === 'manual') {
        plan = none('manual-cancel-needed', `決済方法 ${payment.method} はrenkeiから取消できません: 決済代行会社の管理画面で取り消してください`, true);
      } else if (setting.provider === 'gmo-pg') {
        plan = payment.gmoPgOrderId ? { kind: 'gmo-pg', gmoPgOrderId: payment.gmoPgOrderId } : none('manual-cancel-needed', 'GMO-PGのOrderIDが受注にありません', true);
      } else if (payment.recurringRole === 'parent') {
        plan = none('recurring-parent', '定期親受注: Amazon Payの定期(ChargePermission)は定期の停止(close)でのみ終了します', false);
      } else {
        plan = payment.amazonPayChargeId ? { kind: 'amazon-pay', chargeId: payment.amazonPayChargeId } : none('not-charged', 'Amazon Payの売上請求(Charge)がまだありません');
      }
      return { alreadyCanceled: record.alreadyCanceled, cycle: record.cycle, plan, current: stateOf(record) };
    },

    /**
     * GMO-PG cancel (§5.5): SearchTrade, then AlterTran VOID/RETURN/RETURNX by the trade's status and date; nothing
     * when already canceled. On any AlterTran error, SearchTrade again before deciding: a cancel that landed (a lost
     * answer, an admin-screen cancel in between) is success. Every attempt starts with SearchTrade, so a retry after a
     * timeout never cancels twice.
     */
    async cancelGmoPgTrade(i: { shopId: string; gmoPgOrderId: string }): Promise<ProviderResult> {
      const client = await gmoPgClient(i.shopId);
      const trade = await search(client, i.gmoPgOrderId);
      if (!trade) throw refused(`GMO-PG knows no trade ${i.gmoPgOrderId} (E01110002)`);
      const plan = planCancel(trade, deps.gmoPg?.now?.() ?? attemptTime());
      if (plan.action === 'none') return { outcome: plan.reason, detail: plan.status, flagged: false };
      if (plan.action === 'refuse') {
        throw refused(plan.reason === 'over-limit'
          ? `GMO-PG: the trade ${i.gmoPgOrderId} (${trade.status}) was last processed more than 180 days ago: refund by hand (E11010010)`
          : `GMO-PG: the trade ${i.gmoPgOrderId} (${trade.status}) has no usable ProcessDate`);
      }
      try {
        await client.alterTran({ accessId: trade.accessId, accessPass: trade.accessPass, jobCd: plan.jobCd });
        return { outcome: 'canceled', detail: plan.jobCd, flagged: false };
      } catch (err) {
        if (!(err instanceof GmoPgApiError)) throw err;
        const after = await client.searchTrade(i.gmoPgOrderId).catch(() => undefined);
        if (after && isCancelStatus(after.status)) return { outcome: 'canceled', detail: after.status, flagged: false };
        if (err.retryable || err.stateUnknown || after === undefined) throw err; // the next attempt searches first
        throw refused(`GMO-PG AlterTran ${plan.jobCd} failed: ${err.message}`);
      }
    },

    /**
     * Amazon Pay: cancel the order's charge (a recurring child's own charge; the parent's ChargePermission is not
     * touched). Already Canceled is success; Declined took no money; Captured cannot be canceled (a refund is needed).
     */
    async cancelAmazonPayCharge(i: { shopId: string; chargeId: string }): Promise<ProviderResult> {
      const shop = await deps.amazonPayShop(i.shopId);
      if (!shop) throw refused(`shop ${i.shopId} has no Amazon Pay account configured`);
      const settle = async (): Promise<ProviderResult | undefined> => {
        const charge = await shop.client.getCharge(i.chargeId);
        const state = charge.statusDetails.state;
        if (state === 'Canceled') return { outcome: 'already-canceled', detail: state, flagged: false };
        if (state === 'Declined') return { outcome: 'not-charged', detail: state, flagged: false };
        if (state === 'Captured') throw refused(`Amazon Pay: the charge ${i.chargeId} is Captured and cannot be canceled: refund it`);
        return undefined;
      };
      try {
        const done = await settle();
        if (done) return done;
        const charge = await shop.client.cancelCharge(i.chargeId, { cancellationReason: 'order canceled' });
        await markChildChargeCanceled(deps.db, i.shopId, i.chargeId, 'order canceled'); // a recurring child's row, if it is one
        return { outcome: 'canceled', detail: charge.statusDetails.state, flagged: false };
      } catch (err) {
        if (!(err instanceof AmazonPayApiError)) throw err;
        if (err.retryable) throw err;
        const done = await settle().catch(() => undefined); // canceled in between counts as success
        if (done) return done;
        throw refused(`Amazon Pay cancelCharge failed: ${err.reasonCode} ${err.message}`);
      }
    },

    /** 金額変更API連携フラグ: whether an amount change of this payment method is sent to the provider. */
    async amountChangeLinked(i: { shopId: string; paymentMethod: string }): Promise<boolean> {
      return (await getPaymentMethodSetting(deps.db, i.shopId, i.paymentMethod))?.amountChangeApi ?? false;
    },

    /**
     * GMO-PG 金額変更: ChangeTran to the new amount, keeping the trade's kind (AUTH stays AUTH, CAPTURE and SALES
     * become CAPTURE). SearchTrade first, so a retry after a lost answer finds the amount already changed.
     */
    async amountChangeGmoPg(i: { shopId: string; gmoPgOrderId: string; amountJpy: number }): Promise<AmountChangeResult> {
      const client = await gmoPgClient(i.shopId);
      const trade = await search(client, i.gmoPgOrderId);
      if (!trade) throw refused(`GMO-PG knows no trade ${i.gmoPgOrderId} (E01110002)`);
      if (trade.amount === i.amountJpy) return { outcome: 'unchanged', detail: `${trade.status} ¥${trade.amount}` };
      const jobCd = trade.status === 'AUTH' || trade.status === 'SAUTH' ? trade.status : trade.status === 'CAPTURE' || trade.status === 'SALES' ? 'CAPTURE' : null;
      if (!jobCd) throw refused(`GMO-PG: the trade ${i.gmoPgOrderId} is ${trade.status}: its amount cannot be changed`);
      try {
        await client.changeTran({ accessId: trade.accessId, accessPass: trade.accessPass, jobCd, amount: i.amountJpy });
        return { outcome: 'changed', detail: `${jobCd} ¥${trade.amount} → ¥${i.amountJpy}` };
      } catch (err) {
        if (!(err instanceof GmoPgApiError)) throw err;
        const after = await client.searchTrade(i.gmoPgOrderId).catch(() => undefined);
        if (after && after.amount === i.amountJpy) return { outcome: 'changed', detail: `${after.status} ¥${after.amount}` };
        if (err.retryable || err.stateUnknown) throw err;
        throw refused(`GMO-PG ChangeTran failed: ${err.message}`);
      }
    },

    /**
     * Amazon Pay's rules for an amount change: an Authorized charge may be captured for less later (nothing to send
     * now), never for more; a Captured one gets the difference refunded; anything more needs a new authorization.
     */
    async amountChangeAmazonPay(i: { shopId: string; orderId: string; chargeId: string; amountJpy: number; idempotencyKey: string }): Promise<AmountChangeResult> {
      const shop = await deps.amazonPayShop(i.shopId);
      if (!shop) throw refused(`shop ${i.shopId} has no Amazon Pay account configured`);
      const charge = await shop.client.getCharge(i.chargeId);
      const state = charge.statusDetails.state;
      const authorized = Number(charge.chargeAmount.amount);
      if (state === 'Authorized') {
        if (i.amountJpy > authorized) throw refused(`Amazon Pay captures at most the ¥${authorized} authorized: ¥${i.amountJpy} needs a new authorization`);
        return { outcome: 'capture-less', detail: `capture ¥${i.amountJpy} of the ¥${authorized} authorized` };
      }
      if (state === 'Captured') {
        // a refund still RefundInitiated is not in refundedAmount yet: our own record of the last refunded total counts too
        const ours = await lastRefundedTotal(deps.db, i.shopId, i.orderId);
        const net = Math.min(Number(charge.captureAmount?.amount ?? authorized) - Number(charge.refundedAmount?.amount ?? 0), ours ?? Infinity);
        if (i.amountJpy === net) return { outcome: 'unchanged', detail: `¥${net} captured` };
        if (i.amountJpy > net) throw refused(`Amazon Pay cannot charge more after capture (¥${net} captured): a new charge is needed`);
        const refund = await shop.client.createRefund({ chargeId: i.chargeId, refundAmount: jpy(net - i.amountJpy) }, amazonIdempotencyKey(i.idempotencyKey));
        return { outcome: 'refunded', detail: `¥${net - i.amountJpy} refunded (${refund.refundId})` };
      }
      throw refused(`Amazon Pay: the charge ${i.chargeId} is ${state}: its amount cannot be changed`);
    },

    async amountChangeRecord(i: { shopId: string; orderId: string; amountJpy: number; outcome: string; detail: string | null }): Promise<void> {
      await recordAmountChange(deps.db, i);
    },

    /** 与信NG時自動受注取消 (#187): whether an NG authorization of this payment method cancels the order. */
    async cancelAutoOnNgSetting(i: { shopId: string; paymentMethod: string }): Promise<boolean> {
      return (await getPaymentMethodSetting(deps.db, i.shopId, i.paymentMethod))?.autoCancelOnNg ?? false;
    },

    async cancelRecordProvider(i: { shopId: string; orderId: string; failed: boolean; result: { outcome: ProviderOutcome; detail: string | null; flagged: boolean } }): Promise<void> {
      await recordProviderOutcome(deps.db, {
        shopId: i.shopId, orderId: i.orderId, status: i.failed ? 'provider-failed' : 'canceling',
        outcome: i.result.outcome, detail: i.result.detail, flagged: i.result.flagged,
      });
    },

    /** The operator is told why the provider cancel failed and what to choose; reminder > 0 is a reminder. */
    async cancelMailOperator(i: { shopId: string; orderId: string; paymentMethod: string; reason: string; reminder: number }): Promise<void> {
      if (i.reminder > 0) await countReminder(deps.db, i.shopId, i.orderId, i.reminder);
      const to = deps.notifyEmail(i.shopId); // may be unset: the shop's record addresses the mail
      await deps.mailer.send({ ...(i.reminder > 0 ? providerCancelReminderMail({ ...i, to }) : providerCancelFailedMail({ ...i, to })), shopId: i.shopId });
    },

    async cancelLeaveOrder(i: { shopId: string; orderId: string }): Promise<void> {
      await leaveOrder(deps.db, i.shopId, i.orderId);
    },

    /** Step 4: キャンセル and the order data OUT row in one statement; then the order's delivery is woken (if it can be). */
    async cancelCompleteOrder(i: { shopId: string; orderId: string; decision: CancelDecision | null; dedupeKey: string }): Promise<{ outboxId: string }> {
      const outboxId = await cancelOrderWithOutbox(deps.db, i);
      if (deps.temporal) {
        await deps.temporal.client.workflow.signalWithStart(orderOutDeliveryWorkflow, {
          workflowId: orderOutDeliveryWorkflowId(i.shopId, i.orderId), taskQueue: deps.temporal.taskQueue,
          args: [{ shopId: i.shopId, orderId: i.orderId }], signal: outboxWrittenSignal, signalArgs: [],
        });
      }
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
