import type { ApiOperation } from '../operation';
import { fail, ok, shopParams } from '../common';
import { decisionAnswer, decisionBody, sweepAnswer, windowAnswer, windowListQuery, windowsAnswer, yahooOrderParams } from '../../yahoo/schemas';

const tag = 'Yahoo!ショッピング';

export const YAHOO_OPERATIONS: ApiOperation[] = [
  {
    method: 'get', path: '/shops/{shopId}/yahoo/windows', tag, role: 'viewer',
    summary: 'The payment-method-change windows, by status and deadline', params: shopParams, query: windowListQuery,
    responses: { 200: ok('the windows', windowsAnswer) },
  },
  {
    method: 'get', path: '/shops/{shopId}/yahoo/orders/{orderId}', tag, role: 'viewer',
    summary: "An order's payment-method-change window", params: yahooOrderParams,
    responses: { 200: ok('the window', windowAnswer), 404: fail('no window for this order') },
  },
  {
    method: 'post', path: '/shops/{shopId}/yahoo/sweep', tag, role: 'operator',
    summary: "A sweep of the windows now, besides the schedule's", params: shopParams,
    responses: { 202: ok('the sweep (started: false when one asked for earlier still runs)', sweepAnswer) },
  },
  {
    method: 'post', path: '/shops/{shopId}/yahoo/orders/{orderId}/decision', tag, role: 'operator',
    summary: "The operator's decision: cancel, keep, or retry after a link error", params: yahooOrderParams, body: decisionBody,
    responses: { 200: ok('applied', decisionAnswer), 404: fail('no window for this order'), 409: fail("refused: the workflow's reason, or finished") },
  },
];
