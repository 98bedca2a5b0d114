import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * The search attributes operators filter on in the Web UI. One list, used to register them (dev server, test
 * server, docker-compose's create-namespace script through deploy/temporal/search-attributes.txt) and to set them.
 * Every order process sets ShopId, OrderId and its own status, at start and on each status change.
 *
 * Budget: SQL visibility (PostgreSQL in compose, SQLite in the dev server) has 10 Keyword, 3 Datetime, 3 Int,
 * 3 Double, 3 Bool, 3 Text and 3 KeywordList slots per namespace. Keyword and Datetime are all used now: a new
 * status needs another type or one of these retired (tests/unit/search-attributes.test.ts counts them).
 */
export const SHOP_ID = defineSearchAttributeKey('ShopId', SearchAttributeType.KEYWORD);
export const ORDER_ID = defineSearchAttributeKey('OrderId', SearchAttributeType.KEYWORD);
export const AU_PAY_LINK_STATUS = defineSearchAttributeKey('AuPayLinkStatus', SearchAttributeType.KEYWORD);

/** Yahoo!ショッピング's payment-method-change window: where the order stands, and when the buyer's window closes. */
export const YAHOO_WINDOW_STATUS = defineSearchAttributeKey('YahooWindowStatus', SearchAttributeType.KEYWORD);
export const PAY_METHOD_CHANGE_DEADLINE = defineSearchAttributeKey('PayMethodChangeDeadline', SearchAttributeType.DATETIME);
/** O-PLUX fraud review: the order's 処理結果 or review result, e.g. 審査待ち, NG, 審査エラー. */
export const FRAUD_REVIEW_STATUS = defineSearchAttributeKey('FraudReviewStatus', SearchAttributeType.KEYWORD);

/** Amazon Pay 非同期オーソリ review: 審査中, 審査完了, 審査NG (PAYMENT_STATUS). */
export const AMAZON_PAY_REVIEW_STATUS = defineSearchAttributeKey('AmazonPayReviewStatus', SearchAttributeType.KEYWORD);
/** Amazon Pay 定期親受注: active, paused, closed, expired, buyer-closed (RecurringStatus); its expiry and next child. */
export const RECURRING_STATUS = defineSearchAttributeKey('RecurringStatus', SearchAttributeType.KEYWORD);
export const RECURRING_EXPIRES_AT = defineSearchAttributeKey('RecurringExpiresAt', SearchAttributeType.DATETIME);
export const RECURRING_NEXT_CHARGE_AT = defineSearchAttributeKey('RecurringNextChargeAt', SearchAttributeType.DATETIME);
/** The cancellation saga: canceling, provider-failed, manual-cancel-needed, canceled, left (CancelStatus). */
export const ORDER_CANCEL_STATUS = defineSearchAttributeKey('OrderCancelStatus', SearchAttributeType.KEYWORD);
/** An amount change: changing while it runs, then its outcome (changed, unchanged, refunded, not-linked, manual, failed...). */
export const AMOUNT_CHANGE_STATUS = defineSearchAttributeKey('AmountChangeStatus', SearchAttributeType.KEYWORD);
/** Order data OUT of one order, in its rows' words: pending (rows to send), failed (one failed, the rest held), delivered. */
export const ORDER_OUT_STATUS = defineSearchAttributeKey('OrderOutStatus', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [
  SHOP_ID, ORDER_ID, AU_PAY_LINK_STATUS, YAHOO_WINDOW_STATUS, PAY_METHOD_CHANGE_DEADLINE, FRAUD_REVIEW_STATUS,
  AMAZON_PAY_REVIEW_STATUS, RECURRING_STATUS, RECURRING_EXPIRES_AT, RECURRING_NEXT_CHARGE_AT, ORDER_CANCEL_STATUS, AMOUNT_CHANGE_STATUS, ORDER_OUT_STATUS,
];

/** The status an amount change shows while it runs (its outcomes are the provider's words once it ends). */
export const AMOUNT_CHANGE_RUNNING = 'changing';

/** The names the Temporal CLI takes for each type (`--search-attribute Name=Type`). */
export const CLI_TYPE_NAMES: Record<string, string> = { KEYWORD: 'Keyword', DATETIME: 'Datetime', TEXT: 'Text', INT: 'Int', DOUBLE: 'Double', BOOL: 'Bool', KEYWORD_LIST: 'KeywordList' };

/** Slots per type in SQL visibility (the dev server refuses the 11th Keyword: "cannot have more than 10"). */
export const SQL_VISIBILITY_SLOTS: Record<string, number> = { KEYWORD: 10, DATETIME: 3, TEXT: 3, INT: 3, DOUBLE: 3, BOOL: 3, KEYWORD_LIST: 3 };
