import type { ShopDirectory } from '../shops/shop-directory';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import type { FetchedEvent, OpluxClient, OpluxRule } from '../oplux/client';
import { OpluxApiError } from '../oplux/errors';
import type { OpluxEventInput, OpluxItem, OpluxParty } from '../oplux/event-form';
import { bareTel, hashEmail, sha1Upper } from '../oplux/hashing';
import { SETTLE_STATUSES, type OpluxBlackCustomerType, type OpluxManualCode, type OpluxReview, type OpluxSettleStatus } from '../oplux/codes';
import { applyOpluxUpdate, beginRegistration, insertOpluxOrder, recordEventChange, replaceOpluxOrderData, storeEvent, type OpluxChangeRecord, type OpluxOrderUpdate } from '../db/oplux-orders';
import { settleOpluxHold } from '../db/order-out';
import type { Client } from '@temporalio/client';
import type { Mailer } from '../mail/mailer';
import { opluxErrorMail } from '../mail/oplux-error-mail';
import type { FraudReviewOrder, ReviewItem, ReviewParty } from '../workflows/oplux-fraud-review-messages';
import { planReview, ruleDescription, type OpluxReviewSettings, type ProductKey, type ReviewPlan } from '../workflows/oplux-review-rules';
import { failingAs, providerShop, type ShopLookup } from './provider-shop';
import { wakeOrderOutDelivery } from '../order-out/wake-delivery';
import { statusChanged } from '../metrics/business-events';

/** The shop's O-PLUX account (its client holds the secret) and its review settings. */
export interface OpluxShop {
  client: OpluxClient;
  /** the configured shop's SHOP_NOTIFY_EMAIL; any other shop's mails go to the addresses its record keeps */
  notifyEmail?: string;
  settings: OpluxReviewSettings;
}

export interface OpluxActivityDeps {
  db: Pool;
  mailer: Mailer;
  /** The shop's O-PLUX client and settings, built by the worker from its account; undefined when the shop has none. */
  opluxShop: ShopLookup<OpluxShop>;
  /** The shops' settings in PostgreSQL: when given, 受注OUT制御, 商品情報制御 and the review settings come from there. */
  shops?: Pick<ShopDirectory, 'settings'>;
  /** To wake the order's data OUT delivery when the review lets rows it held go. */
  temporal?: { client: Client; taskQueue: string };
}

/** What the workflow keeps of a registration: plain data, no personal data, no secrets. */
export interface RegistrationView {
  eventId: string;
  review: OpluxReview;
  ruleDescription: string | null;
  /** how the event was found: registered now, already stored, or looked up at O-PLUX after an unknown outcome */
  source: 'registered' | 'stored' | 'looked-up';
}

export type EventChange =
  | { kind: 'manual'; result: OpluxManualCode; memo?: string }
  | { kind: 'black'; flag: '0' | '1'; customerType?: OpluxBlackCustomerType }
  | { kind: 'settle'; settleStatus: OpluxSettleStatus; canceled?: boolean };

/** 加盟店商品ID by the shop's O-PLUX商品情報制御 (a missing code falls back to the product id). */
export const shopItemId = (item: ReviewItem, key: ProductKey): string =>
  (key === 'product-code' ? item.productCode : key === 'attribute-code' ? item.attributeCode : item.productId) ?? item.productId;

export function createOpluxReviewActivities(deps: OpluxActivityDeps) {
  const shopOf = providerShop(deps.opluxShop, 'O-PLUX');

  const call = failingAs(toFailure, 'oplux');

  /** A party with its names hashed (and normalized by O-PLUX's normalizer when it answers; the review goes on without). */
  async function party(client: OpluxClient, p: ReviewParty): Promise<OpluxParty> {
    let normalized: Awaited<ReturnType<OpluxClient['normalizeName']>> | undefined;
    try {
      normalized = await client.normalizeName(p.lastName, p.firstName);
    } catch (err) {
      if (!(err instanceof OpluxApiError)) throw err;
    }
    return {
      id: p.memberId,
      hashedName: {
        firstName: sha1Upper(p.firstName), lastName: sha1Upper(p.lastName),
        normalizedFirstName: normalized?.first ? sha1Upper(normalized.first) : undefined,
        normalizedLastName: normalized?.last ? sha1Upper(normalized.last) : undefined,
        counts: normalized ? { ...normalized.counts, validName: 1 } : undefined,
      },
      address: p.address && { country: p.address.country ?? 'JP', zipcode: p.address.zipcode.replace(/[^0-9]/g, ''), addressA: p.address.prefecture, addressB: p.address.city, addressC: p.address.street },
      tel: p.tel ? bareTel(p.tel) : undefined,
      email: p.email ? hashEmail(p.email) : undefined,
      companyName: p.companyName,
    };
  }

  /** The shop's review settings as they are now: a change applies to the next order's review. */
  async function reviewSettings(shopId: string, shop: OpluxShop): Promise<OpluxReviewSettings> {
    if (!deps.shops) return shop.settings;
    const { orderOutControl, productKey, review } = await deps.shops.settings(shopId, 'oplux');
    return { ...review, orderOutControl, productKey };
  }

  async function eventInput(shop: OpluxShop, o: FraudReviewOrder, plan: Extract<ReviewPlan, { target: true }>): Promise<OpluxEventInput> {
    const { productKey } = await reviewSettings(o.shopId, shop);
    const items: OpluxItem[] = o.items.map((i) => ({
      shopItemId: shopItemId(i, productKey), itemPrice: i.priceJpy, itemQuantity: i.quantity, itemName: i.name, itemCategory: i.category,
    }));
    const delivery = o.delivery ? await party(shop.client, o.delivery) : { tel: o.buyer.tel ? bareTel(o.buyer.tel) : undefined };
    return {
      modelId: plan.modelId, eventIdForShop: o.orderId, ipAddress: o.ipAddress, deviceInfo: o.deviceInfo, cookie: o.cookie,
      buyDatetime: new Date(o.orderedAt),
      settle: { status: '00', amount: o.amountJpy, method: plan.settleMethod, bincode: o.bincode },
      buyer: await party(shop.client, o.buyer),
      delivery: { ...delivery, shipping: { items } },
    };
  }

  const adopt = (e: FetchedEvent | { eventId: string; review: OpluxReview; rules: OpluxRule[] }, source: RegistrationView['source']): RegistrationView => ({
    eventId: e.eventId, review: 'aaResult' in e ? e.aaResult : e.review, ruleDescription: ruleDescription(e.rules), source,
  });

  return {
    /** Stores the order (a repeat keeps the first) and decides from the shop's settings whether and how it is reviewed. */
    async openOpluxReview(o: FraudReviewOrder): Promise<ReviewPlan> {
      await insertOpluxOrder(deps.db, o);
      const shop = await shopOf(o.shopId);
      return planReview(await reviewSettings(o.shopId, shop), { paymentMethodId: o.paymentMethodId, recurring: o.recurring });
    },

    /**
     * Registers the order's event at most once, though O-PLUX's registration is not idempotent: an event already
     * stored for the order is returned as is; after an earlier attempt whose outcome we never learned (a timeout, a
     * worker killed mid-call, retries spent) the order's event is looked up by event_id_for_shop before registering.
     */
    async registerOpluxEvent(i: { order: FraudReviewOrder; plan: Extract<ReviewPlan, { target: true }> }): Promise<RegistrationView> {
      const shop = await shopOf(i.order.shopId);
      const { stored, earlierAttempts } = await beginRegistration(deps.db, i.order.shopId, i.order.orderId);
      if (stored) return { eventId: stored.eventId!, review: stored.reviewResult as OpluxReview, ruleDescription: stored.ruleDescription, source: 'stored' };
      if (earlierAttempts > 0 || Context.current().info.attempt > 1) {
        const found = (await call(() => shop.client.findEventsByShopEventId(i.order.orderId))).filter((e) => !e.deleted);
        if (found[0]) return adopt(found[0], 'looked-up');
      }
      const registered = adopt(await call(async () => shop.client.registerEvent(await eventInput(shop, i.order, i.plan))), 'registered');
      // Kept at once: should this activity die before it reports, its retry finds the event here.
      await storeEvent(deps.db, { shopId: i.order.shopId, orderId: i.order.orderId, ...registered, paymentStatus: PAYMENT_STATUS_AT_REGISTRATION });
      return registered;
    },

    /** Sends an operator's change (目視審査結果 and メモ, or the black flag) with the event update API. */
    async updateOpluxEvent(i: { shopId: string; eventId: string; change: EventChange }): Promise<void> {
      const { client } = await shopOf(i.shopId);
      const c = i.change;
      await call(() => client.updateEvent(i.eventId, c.kind === 'manual'
        ? { maResult: c.result, memo: c.memo ?? '' }
        : c.kind === 'settle' ? { settleStatus: c.settleStatus }
          : { blacked: c.flag === '1', blackCustomerType: c.flag === '1' ? (c.customerType ?? '10') : undefined }));
    },

    /** Tells the shop that a call failed for good and waits for its 手動再連携. */
    async sendOpluxErrorMail(i: { shopId: string; orderId: string; result: '審査エラー' | '更新エラー'; message: string }): Promise<void> {
      const shop = await deps.opluxShop(i.shopId);
      if (shop) await deps.mailer.send({ ...opluxErrorMail({ to: shop.notifyEmail, ...i }), shopId: i.shopId });
    },

    /** The order's O-PLUX fields and, when the update releases the order, its order data OUT row: one statement. */
    async recordOpluxReview(u: OpluxOrderUpdate): Promise<void> {
      await applyOpluxUpdate(deps.db, u);
      statusChanged('oplux', u, u.status, { error: u.errorMessage ?? undefined });
      // a statement of its own, after the update committed: it sees every row the delivery held back meanwhile
      const released = await settleOpluxHold(deps.db, u.shopId, u.orderId);
      if (released > 0 || u.release) await wakeOrderOutDelivery(deps.temporal, u.shopId, u.orderId);
    },

    /** A change sent after the review workflow ended (opluxEventUpdateWorkflow): the order's fields, not its review. */
    async recordOpluxChange(u: OpluxChangeRecord): Promise<void> {
      await recordEventChange(deps.db, u);
      const released = await settleOpluxHold(deps.db, u.shopId, u.orderId);
      if (released > 0) await wakeOrderOutDelivery(deps.temporal, u.shopId, u.orderId);
    },

    /** A re-report's corrected data, sent by the next registration. */
    async replaceOpluxOrder(o: FraudReviewOrder): Promise<void> {
      await replaceOpluxOrderData(deps.db, o);
    },
  };
}

export type OpluxReviewActivities = ReturnType<typeof createOpluxReviewActivities>;

/** O-PLUX決済ステータス as shown on the order: the label of the settle status sent at registration. */
export const PAYMENT_STATUS_AT_REGISTRATION = SETTLE_STATUSES['00'];

/** Transport trouble and maintenance retry (the workflow's policy); a bad signature or a refused request stops at once. */
function toFailure(err: unknown): unknown {
  if (!(err instanceof OpluxApiError)) return err;
  const details = [{ code: err.code ?? null, httpStatus: err.httpStatus ?? null, kind: err.kind }];
  const message = err.code ? `${err.message} (${err.code})` : err.message;
  if (err.retryable) return ApplicationFailure.create({ message, type: err.code === 'TIMEOUT' ? 'OpluxTimeout' : 'OpluxTransient', details });
  const type = { auth: 'OpluxAuthFailed', invalid: 'OpluxRejected', 'not-found': 'OpluxEventNotFound', duplicate: 'OpluxDuplicateEvent' }[
    err.kind as Exclude<typeof err.kind, 'transient'>
  ];
  return ApplicationFailure.create({ message, type, nonRetryable: true, details });
}
