import type { ApiOperation } from '../operation';
import { fail, ok, shopParams } from '../common';
import {
  auPayOrderAnswer, completedAnswer, completedBody, historyAnswer, historyQuery, orderParams, resetAnswer, resetBody, shipmentAnswer,
  shipmentReportBody,
} from '../../au-pay/schemas';

const tag = 'au PAY';

export const AU_PAY_OPERATIONS: ApiOperation[] = [
  {
    method: 'post', path: '/shops/{shopId}/au-pay/shipments', tag, role: 'operator',
    summary: 'The OMS reports a shipment: stored, and pushed to au PAY when the order needs it',
    params: shopParams, body: shipmentReportBody,
    responses: { 200: ok('stored; nothing is pushed (note says why)', shipmentAnswer), 202: ok('the chain pushes the shipping info', shipmentAnswer) },
  },
  {
    method: 'get', path: '/shops/{shopId}/au-pay/orders/{orderId}', tag, role: 'viewer',
    summary: "An order's link status, its failure and its last 50 API calls", params: orderParams,
    responses: { 200: ok('the order', auPayOrderAnswer), 404: fail('renkei never saw the order') },
  },
  {
    method: 'get', path: '/shops/{shopId}/au-pay/history', tag, role: 'viewer',
    summary: 'The au PAY API連携履歴, newest first', params: shopParams, query: historyQuery,
    responses: { 200: ok('the calls', historyAnswer) },
  },
  {
    method: 'post', path: '/shops/{shopId}/au-pay/orders/{orderId}/link-status', tag, role: 'operator',
    summary: "The operator's manual link status change (seed 004 section 6)", params: orderParams, body: resetBody,
    responses: { 200: ok('applied', resetAnswer), 404: fail('renkei never saw the order'), 409: fail("refused: the workflow's reason, or finished") },
  },
  {
    method: 'post', path: '/shops/{shopId}/au-pay/orders/{orderId}/completed', tag, role: 'operator',
    summary: 'The OMS reports the order completed', params: orderParams, body: completedBody,
    responses: {
      200: ok('reported before', completedAnswer), 202: ok('taken: the chain decides when to push 完了', completedAnswer),
      404: fail('renkei never saw the order'), 409: fail('the chain has ended'),
    },
  },
];
