import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * The search attributes operators filter on in the Web UI. One list, used to register them (dev server, test
 * server, docker-compose's create-namespace script) and to set them.
 */
export const SHOP_ID = defineSearchAttributeKey('ShopId', SearchAttributeType.KEYWORD);
export const ORDER_ID = defineSearchAttributeKey('OrderId', SearchAttributeType.KEYWORD);
export const AU_PAY_LINK_STATUS = defineSearchAttributeKey('AuPayLinkStatus', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [SHOP_ID, ORDER_ID, AU_PAY_LINK_STATUS];
