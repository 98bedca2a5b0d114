import type { SearchAttributePair } from '@temporalio/common';
import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { ORDER_ID, SHOP_ID } from './search-attributes';

/**
 * What an order process shows in the Web UI: ShopId, OrderId and its status (and dates), upserted together when any of
 * them differs from what the workflow already has (from its start or an earlier upsert). So a change costs one
 * Temporal action however many keys it sets, and a value the start already set costs nothing. Behind the process's
 * patch (`applies`, asked only when there is something to show): histories recorded before it replay without the
 * upserts; a workflow in flight shows from its next change. Workflow code only.
 */
export function orderAttributes(applies: () => boolean, order: { shopId: string; orderId: string }): (pairs: SearchAttributePair[]) => void {
  return (pairs) => {
    const wanted: SearchAttributePair[] = [{ key: SHOP_ID, value: order.shopId }, { key: ORDER_ID, value: order.orderId }, ...pairs];
    const current = workflowInfo().typedSearchAttributes;
    const differs = wanted.some((p) => comparable(current.get(p.key)) !== comparable(p.value));
    if (differs && applies()) upsertSearchAttributes(wanted);
  };
}

const comparable = (v: unknown): unknown => (v instanceof Date ? v.getTime() : v);
