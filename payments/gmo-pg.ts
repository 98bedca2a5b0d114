import type { GmoPgClient, GmoTrade } from '../gmo-pg/client';
import { planCancel } from '../gmo-pg/cancel-plan';
import { GmoPgApiError } from '../gmo-pg/errors';
import { isCancelStatus } from '../gmo-pg/schemas';
import type { AmountChangeResult, CancelOutcome, PaymentProvider, PaymentStatusView } from './provider';
import { refused } from './refused';

export interface GmoPgProviderDeps {
  /** the shop's GMO-PG client (from its sealed account); throws, named, when the shop has none */
  client(shopId: string): Promise<GmoPgClient>;
  /** the time a cancel plan reads (a VOID is only for the same JST day) */
  now(): Date;
}

/** A trade as the processes see it: the cancels are final (a refund's success), SALES/CAPTURE a captured charge. */
const viewOf = (t: GmoTrade): PaymentStatusView => ({
  id: t.orderId, state: t.status, reasonCode: null, changedAt: null, amountJpy: t.amount,
  phase: isCancelStatus(t.status) || t.status === 'SALES' || t.status === 'CAPTURE' ? 'succeeded' : 'pending',
});

/**
 * GMO-PG (protocol type, docs/providers/gmo-pg.md): every call searches the trade first, so a retry after a lost answer
 * never acts twice; on an AlterTran/ChangeTran error the trade is searched again before deciding (an admin-screen
 * change in between, or a change that landed, is success).
 */
export function gmoPgProvider(deps: GmoPgProviderDeps): PaymentProvider {
  /** SearchTrade, its failures worded for the operator: a transport failure retries, anything else is refused. */
  async function search(client: GmoPgClient, orderId: string): Promise<GmoTrade> {
    let trade: GmoTrade | null;
    try {
      trade = await client.searchTrade(orderId);
    } catch (err) {
      if (err instanceof GmoPgApiError && !err.retryable && !err.stateUnknown) throw refused(`GMO-PG SearchTrade failed: ${err.message}`);
      throw err;
    }
    if (!trade) throw refused(`GMO-PG knows no trade ${orderId} (E01110002)`);
    return trade;
  }

  /** After a failed call: the trade as it is, if `landed` says the call's effect is there (a lost answer). */
  async function landedAfter(client: GmoPgClient, orderId: string, err: unknown, landed: (t: GmoTrade) => boolean, what: string): Promise<GmoTrade> {
    if (!(err instanceof GmoPgApiError)) throw err;
    const after = await client.searchTrade(orderId).catch(() => undefined);
    if (after && landed(after)) return after;
    if (err.retryable || err.stateUnknown || after === undefined) throw err; // the next attempt searches first
    throw refused(`GMO-PG ${what} failed: ${err.message}`);
  }

  /**
   * §5.5: AlterTran VOID/RETURN/RETURNX by the trade's status and its last processing date (a captured SALES is
   * returned too: GMO gives the money back itself); nothing when already canceled or never charged.
   */
  async function cancel(shopId: string, orderId: string): Promise<CancelOutcome> {
    const client = await deps.client(shopId);
    const trade = await search(client, orderId);
    const plan = planCancel(trade, deps.now());
    if (plan.action === 'none') return { outcome: plan.reason, detail: plan.status };
    if (plan.action === 'refuse') {
      throw refused(plan.reason === 'over-limit'
        ? `GMO-PG: the trade ${orderId} (${trade.status}) was last processed more than 180 days ago: refund by hand (E11010010)`
        : `GMO-PG: the trade ${orderId} (${trade.status}) has no usable ProcessDate`);
    }
    try {
      await client.alterTran({ accessId: trade.accessId, accessPass: trade.accessPass, jobCd: plan.jobCd });
      return { outcome: 'canceled', detail: plan.jobCd };
    } catch (err) {
      const after = await landedAfter(client, orderId, err, (t) => isCancelStatus(t.status), `AlterTran ${plan.jobCd}`);
      return { outcome: 'canceled', detail: after.status };
    }
  }

  /**
   * 金額変更: ChangeTran to the new amount, keeping the trade's kind (AUTH stays AUTH, CAPTURE and SALES become
   * CAPTURE).
   */
  async function changeAmount(shopId: string, orderId: string, o: { amountJpy: number }): Promise<AmountChangeResult> {
    const client = await deps.client(shopId);
    const trade = await search(client, orderId);
    if (trade.amount === o.amountJpy) return { outcome: 'unchanged', detail: `${trade.status} ¥${trade.amount}` };
    const jobCd = trade.status === 'AUTH' || trade.status === 'SAUTH' ? trade.status : trade.status === 'CAPTURE' || trade.status === 'SALES' ? 'CAPTURE' : null;
    if (!jobCd) throw refused(`GMO-PG: the trade ${orderId} is ${trade.status}: its amount cannot be changed`);
    try {
      await client.changeTran({ accessId: trade.accessId, accessPass: trade.accessPass, jobCd, amount: o.amountJpy });
      return { outcome: 'changed', detail: `${jobCd} ¥${trade.amount} → ¥${o.amountJpy}` };
    } catch (err) {
      const after = await landedAfter(client, orderId, err, (t) => t.amount === o.amountJpy, 'ChangeTran');
      return { outcome: 'changed', detail: `${after.status} ¥${after.amount}` };
    }
  }

  return {
    id: 'gmo-pg',
    refOf: (p) => p.gmoPgOrderId ?? p.providerRef,
    cancel,
    changeAmount: (shopId, ref, o) => changeAmount(shopId, ref, o),

    /** A full refund is the trade's cancel (RETURN/RETURNX after capture); a partial one lowers the amount (ChangeTran). */
    async refund(shopId, ref, o) {
      if (o.amountJpy !== undefined) {
        const trade = await search(await deps.client(shopId), ref);
        await changeAmount(shopId, ref, { amountJpy: trade.amount - o.amountJpy });
      } else {
        await cancel(shopId, ref);
      }
      return viewOf(await search(await deps.client(shopId), ref));
    },

    /** 実売上: AlterTran SALES for the authorized amount (or less: ChangeTran first); already captured is success. */
    async capture(shopId, ref, o) {
      const client = await deps.client(shopId);
      let trade = await search(client, ref);
      if (trade.status === 'SALES' || trade.status === 'CAPTURE') return viewOf(trade);
      if (trade.status !== 'AUTH' && trade.status !== 'SAUTH') throw refused(`GMO-PG: the trade ${ref} is ${trade.status}: it cannot be captured`);
      if (o.amountJpy !== undefined && o.amountJpy !== trade.amount) {
        await changeAmount(shopId, ref, { amountJpy: o.amountJpy });
        trade = await search(client, ref);
      }
      try {
        await client.alterTran({ accessId: trade.accessId, accessPass: trade.accessPass, jobCd: 'SALES', amount: trade.amount });
      } catch (err) {
        await landedAfter(client, ref, err, (t) => t.status === 'SALES', 'AlterTran SALES');
      }
      return viewOf(await search(client, ref));
    },

    async readStatus(shopId, _kind, id) {
      return viewOf(await search(await deps.client(shopId), id));
    },
  };
}
