import type { ApiOperation } from '../operation';
import { fail, ok, shopParams } from '../common';
import {
  bulkAnswer, bulkBody, bulkCreatedAnswer, bulkHeaders, bulkListAnswer, bulkParams, bulkSummary, listQuery, ordersQuery,
} from '../../bulk-actions/schemas';
import { OPERATOR_ACTION_NAMES } from '../../../operators/action-catalog';

const tag = 'Bulk actions';

export const BULK_ACTION_OPERATIONS: ApiOperation[] = [
  {
    method: 'post', path: '/shops/{shopId}/bulk-actions', tag, role: 'operator',
    summary: 'One operator action on up to 10,000 orders',
    description: `action: one of ${OPERATOR_ACTION_NAMES.join(', ')}; args: that action's arguments (as its single-order route takes them). `
      + 'A retry with the same Idempotency-Key gets the same bulk action.',
    params: shopParams, headers: bulkHeaders, body: bulkBody,
    responses: {
      200: ok('the same Idempotency-Key again: the same bulk action', bulkCreatedAnswer), 202: ok('created; it runs', bulkCreatedAnswer),
      409: fail('this Idempotency-Key was used for another request'),
    },
  },
  {
    method: 'get', path: '/shops/{shopId}/bulk-actions', tag, role: 'viewer',
    summary: "The shop's bulk actions, newest first", params: shopParams, query: listQuery,
    responses: { 200: ok('a page', bulkListAnswer) },
  },
  {
    method: 'get', path: '/shops/{shopId}/bulk-actions/{id}', tag, role: 'viewer',
    summary: 'A bulk action, its progress and its orders', params: bulkParams, query: ordersQuery,
    responses: { 200: ok('the bulk action and a page of its orders', bulkAnswer), 404: fail('unknown bulk action') },
  },
  {
    method: 'post', path: '/shops/{shopId}/bulk-actions/{id}/cancel', tag, role: 'operator',
    summary: 'Cancel a running bulk action: the orders not yet acted on are not acted on', params: bulkParams,
    responses: { 200: ok('canceled', bulkSummary), 404: fail('unknown bulk action'), 409: fail('it has finished') },
  },
];
