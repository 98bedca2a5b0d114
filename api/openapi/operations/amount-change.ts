import type { ApiOperation } from '../operation';
import { ok, shopParams } from '../common';
import { amountChangeBody, amountChangeParams, amountChangesAnswer, amountChangeStarted } from '../../amount-change/schemas';

const tag = 'Amount changes';

export const AMOUNT_CHANGE_OPERATIONS: ApiOperation[] = [
  {
    method: 'post', path: '/shops/{shopId}/amount-changes', tag, role: 'operator',
    summary: "An order's amount changed after authorization: sent to the provider per 金額変更API連携フラグ", params: shopParams, body: amountChangeBody,
    responses: { 202: ok('the change runs', amountChangeStarted) },
  },
  {
    method: 'get', path: '/shops/{shopId}/amount-changes/{orderId}', tag, role: 'viewer',
    summary: "An order's amount changes and their outcomes", params: amountChangeParams,
    responses: { 200: ok('the changes (none: an empty list)', amountChangesAnswer) },
  },
];
