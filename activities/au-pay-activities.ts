import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { AuPayApiError } from '../au-pay/errors';
import type { AuPayClient } from '../au-pay/client';
import { insertCallHistory, recordMarketStatus, setLinkStatus } from '../db/au-pay-orders';
import { auPayErrorMail } from '../mail/au-pay-error-mail';
import type { Mailer } from '../mail/mailer';
import { LINK_STATUS, type LinkStatus } from '../workflows/au-pay-link-status';
import { providerShop, type ShopLookup } from './provider-shop';
import { defaultSettings, type ProcessSettings } from '../shops/settings';
import type { ShopDirectory } from '../shops/shop-directory';
import { wakeOrderOutDelivery } from '../order-out/wake-delivery';
import { externalCallFailed, statusChanged } from '../metrics/business-events';

export interface AuPayShop {
  client: AuPayClient;
  /** the configured shop's SHOP_NOTIFY_EMAIL; any other shop's mails go to the addresses its record keeps */
  notifyEmail?: string;
}

export interface AuPayActivityDeps {
  db: Pool;
  mailer: Mailer;
  /** The shop's au PAY client and addresses; built by the worker from configuration, never from workflow input. */
  shop: ShopLookup<AuPayShop>;
  /** The shops' settings in PostgreSQL; absent, every shop has the defaults (both pushes 開始, 完了 right after shipping). */
  shops?: Pick<ShopDirectory, 'settings'>;
  /** To wake the order's order data OUT delivery after a link-status change (absent: the dispatcher finds the row). */
  temporal?: { client: Client; taskQueue: string };
}

interface OrderRef {
  shopId: string;
  orderId: string;
  auPayOrderId: string;
}

export interface PushShippingInput extends OrderRef {
  shipDate: string; // YYYY-MM-DD
  carrier: string;
  trackingNumber: string;
  idempotencyKey: string;
}

export interface PushCompletionInput extends OrderRef {
  idempotencyKey: string;
}

const AU_DATE = (isoDate: string) => isoDate.replace(/-/g, '/');

/** What 自動注文情報ステータス取得 found: the trade may be pushed, or why not (the seed's 注文情報ステータス取得エラー). */
export type TradeCheck = { ok: true; orderStatus: string; paymentStatus: string | null } | { ok: false; message: string };

/** 受注ステータス values that mean the trade is canceled at the market (seed 004 3-1: 「指定の取引はキャンセル済みです」). */
const CANCELED_STATUSES = new Set(['キャンセル', 'キャンセル受付中']);

/**
 * The au PAY activities. Every call to au PAY goes into the call history. On a retry (the previous attempt timed
 * out, the worker died, or the market answered 5xx) the trade is read first: a change that already landed is
 * recorded as a success instead of being pushed again.
 */
export function createAuPayActivities(deps: AuPayActivityDeps) {
  const shopOf = providerShop(deps.shop, 'au PAY');

  /** Runs one au PAY call, writes it to the history, and turns its error into a Temporal failure. */
  async function tracked<T>(ref: OrderRef, operation: string, key: string, call: () => Promise<T>): Promise<T> {
    const started = Date.now();
    try {
      const value = await call();
      await insertCallHistory(deps.db, { ...ref, operation, result: '成功', httpStatus: 200, idempotencyKey: key, durationMs: Date.now() - started });
      return value;
    } catch (err) {
      if (!(err instanceof AuPayApiError)) throw err;
      externalCallFailed('au-pay', { shopId: ref.shopId, orderId: ref.orderId, operation, error: err.message, retryable: err.retryable });
      await insertCallHistory(deps.db, {
        ...ref, operation, result: 'エラー', httpStatus: err.httpStatus ?? null, errorCode: err.code ?? null,
        errorMessage: err.message, idempotencyKey: key, durationMs: Date.now() - started,
      });
      throw toFailure(err);
    }
  }

  const isRetry = () => Context.current().info.attempt > 1;

  /** The status and its order data OUT row in one statement, then the order's delivery is woken. */
  async function changeStatus(ref: OrderRef, status: LinkStatus, error: string | null, change: { key?: string; manual?: boolean }) {
    const written = await setLinkStatus(deps.db, ref.shopId, ref.orderId, status, error, change);
    // written: the change's order data OUT row is new, so a retry that finds it done counts nothing
    if (written) statusChanged('au-pay', ref, status, { error, manual: change.manual });
    if (written) await wakeOrderOutDelivery(deps.temporal, ref.shopId, ref.orderId);
  }

  return {
    async pushShippingInfo(input: PushShippingInput): Promise<{ alreadyApplied: boolean }> {
      const { client } = await shopOf(input.shopId);
      const wanted = { shippingDate: AU_DATE(input.shipDate), shippingCarrier: input.carrier, shippingNumber: input.trackingNumber };
      let alreadyApplied = false;
      if (isRetry()) {
        const trade = await tracked(input, 'searchTradeInfoProc', input.idempotencyKey, () => client.searchTradeInfo(input.auPayOrderId));
        alreadyApplied = !!trade && trade.shippingDate === wanted.shippingDate && trade.shippingCarrier === wanted.shippingCarrier
          && trade.shippingNumber === wanted.shippingNumber;
      }
      if (!alreadyApplied) {
        await tracked(input, 'updateTradeInfoProc', input.idempotencyKey, () => client.updateTradeInfo({ orderId: input.auPayOrderId, ...wanted }));
      }
      await changeStatus(input, LINK_STATUS.shipped, null, { key: input.idempotencyKey });
      return { alreadyApplied };
    },

    async pushCompletion(input: PushCompletionInput): Promise<{ alreadyApplied: boolean }> {
      const { client } = await shopOf(input.shopId);
      let alreadyApplied = false;
      if (isRetry()) {
        const trade = await tracked(input, 'searchTradeInfoProc', input.idempotencyKey, () => client.searchTradeInfo(input.auPayOrderId));
        alreadyApplied = trade?.orderStatus === '完了';
      }
      if (!alreadyApplied) {
        await tracked(input, 'updateTradeStsProc', input.idempotencyKey, () => client.updateTradeStatus({ orderId: input.auPayOrderId, orderStatus: '完了' }));
      }
      await changeStatus(input, LINK_STATUS.completed, null, { key: input.idempotencyKey });
      return { alreadyApplied };
    },

    /** The shop's au PAY settings as they are now (read at each decision, so a change applies to the next one). */
    async auPayShopSettings(input: { shopId: string }): Promise<ProcessSettings<'au-pay'>> {
      return deps.shops ? deps.shops.settings(input.shopId, 'au-pay') : defaultSettings('au-pay');
    },

    /**
     * Persists a status the workflow entered; `precheck` records a call a precondition stopped (no HTTP status);
     * `changeKey` names the change for its order data OUT row; `manual`: an operator set it (seed 004 section 6).
     * `note` goes into the API連携履歴 as a success entry without a call (a correction, a reopened order).
     */
    async saveLinkStatus(input: OrderRef & {
      status: LinkStatus; error: string | null; precheck?: { operation: string }; changeKey?: string; manual?: boolean; note?: string;
    }): Promise<void> {
      if (input.precheck && input.error) {
        await insertCallHistory(deps.db, { ...input, operation: input.precheck.operation, result: 'エラー', httpStatus: null, errorMessage: input.error, idempotencyKey: input.changeKey ?? null });
      }
      if (input.note) {
        await insertCallHistory(deps.db, { ...input, operation: input.note, result: '成功', httpStatus: null, idempotencyKey: input.changeKey ?? null });
      }
      await changeStatus(input, input.status, input.error, { key: input.changeKey, manual: input.manual });
    },

    /**
     * 自動注文情報ステータス取得 (seed 004 section 1 補足, section 6): reads the trade's 受注ステータス and 決済ステータス,
     * keeps them on the order, and says whether the trade may be pushed. Canceled at the market or not found: not.
     */
    async checkTradeStatus(input: OrderRef & { idempotencyKey: string }): Promise<TradeCheck> {
      const { client } = await shopOf(input.shopId);
      let trade;
      try {
        trade = await tracked(input, 'searchTradeInfoProc', input.idempotencyKey, () => client.searchTradeInfo(input.auPayOrderId));
      } catch (err) {
        // the market's own "canceled" or "no such trade" answers; anything else (transient: retried; an expired key,
        // a rejection) fails the activity, and the chain leaves it to the push to report in its own words
        if (err instanceof ApplicationFailure && (err.type === 'AuPayTradeCanceled' || err.type === 'AuPayTradeNotFound')) {
          return { ok: false, message: err.message };
        }
        throw err;
      }
      await recordMarketStatus(deps.db, input.shopId, input.orderId, { orderStatus: trade?.orderStatus ?? null, paymentStatus: trade?.paymentStatus ?? null });
      if (!trade) return { ok: false, message: `指定の取引は存在しません(au PAY注文番号 ${input.auPayOrderId})` };
      if (CANCELED_STATUSES.has(trade.orderStatus) || trade.cancelStatus === '1') {
        return { ok: false, message: `指定の取引はキャンセル済みです(受注ステータス ${trade.orderStatus})` };
      }
      return { ok: true, orderStatus: trade.orderStatus, paymentStatus: trade.paymentStatus ?? null };
    },

    async sendLinkErrorMail(input: OrderRef & { phase: 'shipping' | 'completion'; message: string }): Promise<void> {
      const { notifyEmail } = await shopOf(input.shopId);
      await deps.mailer.send({ ...auPayErrorMail({ to: notifyEmail, ...input }), shopId: input.shopId });
    },
  };
}

export type AuPayActivities = ReturnType<typeof createAuPayActivities>;

/** Retryable kinds stay retryable (Temporal's policy decides how often); the rest stop the chain at once. */
function toFailure(err: AuPayApiError): ApplicationFailure {
  const details = [{ code: err.code ?? null, httpStatus: err.httpStatus ?? null }];
  if (err.retryable) {
    return ApplicationFailure.create({ message: err.message, type: err.code === 'TIMEOUT' ? 'AuPayTimeout' : 'AuPayTransient', details });
  }
  const type = { auth: 'AuPayAuthFailed', canceled: 'AuPayTradeCanceled', 'not-found': 'AuPayTradeNotFound', invalid: 'AuPayRejected' }[
    err.kind as Exclude<typeof err.kind, 'transient'>
  ];
  const message = err.code && !err.code.startsWith('EMU-') ? `${err.message} (${err.code})` : err.message;
  return ApplicationFailure.create({ message, type, nonRetryable: true, details });
}
