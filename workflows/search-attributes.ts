import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * The search attributes operators filter on in the Web UI. One list, used to register them (dev server, test
 * server, docker-compose's create-namespace script) and to set them.
 */
export const SHOP_ID = defineSearchAttributeKey('ShopId', SearchAttributeType.KEYWORD);
export const ORDER_ID = defineSearchAttributeKey('OrderId', SearchAttributeType.KEYWORD);
export const AU_PAY_LINK_STATUS = defineSearchAttributeKey('AuPayLinkStatus', SearchAttributeType.KEYWORD);

/** Yahoo!ショッピング's payment-method-change window: where the order stands, and when the buyer's window closes. */
export const YAHOO_WINDOW_STATUS = defineSearchAttributeKey('YahooWindowStatus', SearchAttributeType.KEYWORD);
export const PAY_METHOD_CHANGE_DEADLINE = defineSearchAttributeKey('PayMethodChangeDeadline', SearchAttributeType.DATETIME);
/** O-PLUX fraud review: the order's 処理結果 or review result, e.g. 審査待ち, NG, 審査エラー. */
export const FRAUD_REVIEW_STATUS = defineSearchAttributeKey('FraudReviewStatus', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [SHOP_ID, ORDER_ID, AU_PAY_LINK_STATUS, YAHOO_WINDOW_STATUS, PAY_METHOD_CHANGE_DEADLINE, FRAUD_REVIEW_STATUS];

/** The names the Temporal CLI takes for each type (`--search-attribute Name=Type`). */
export const CLI_TYPE_NAMES: Record<string, string> = { KEYWORD: 'Keyword', DATETIME: 'Datetime', TEXT: 'Text', INT: 'Int', DOUBLE: 'Double', BOOL: 'Bool', KEYWORD_LIST: 'KeywordList' };
