import type { SearchAttributePair } from '@temporalio/common';
import { ORDER_ID, ORDER_OUT_STATUS, SHOP_ID } from '../workflows/search-attributes';

/** A delivery starts because rows are waiting: pending (used only when signal-with-start starts it). */
export const orderOutStartAttributes = (shopId: string, orderId: string): SearchAttributePair[] => [
  { key: SHOP_ID, value: shopId }, { key: ORDER_ID, value: orderId }, { key: ORDER_OUT_STATUS, value: 'pending' },
];
