import type { ApiOperation } from '../operation';
import { fail, ok, shopParams } from '../common';
import { deliveriesAnswer, deliveriesQuery, deliveryParams, redeliverAnswer, settingsAnswer, settingsBody } from '../../order-out/schemas';

const tag = '受注データOUT (order data OUT)';

export const ORDER_OUT_OPERATIONS: ApiOperation[] = [
  {
    method: 'get', path: '/shops/{shopId}/order-out/deliveries', tag, role: 'viewer',
    summary: "What went to the shop's external system, each attempt", params: shopParams, query: deliveriesQuery,
    responses: { 200: ok('the deliveries, newest first', deliveriesAnswer) },
  },
  {
    method: 'post', path: '/shops/{shopId}/order-out/deliveries/{id}/redeliver', tag, role: 'operator',
    summary: 'Redeliver a failed delivery', params: deliveryParams,
    responses: { 202: ok('back to pending; its delivery is woken', redeliverAnswer), 404: fail('no such delivery'), 409: fail('only a failed delivery is redelivered') },
  },
  {
    method: 'get', path: '/shops/{shopId}/order-out/settings', tag, role: 'viewer',
    summary: 'Which order fields are sent (null: all)', params: shopParams,
    responses: { 200: ok('the fields', settingsAnswer) },
  },
  {
    method: 'put', path: '/shops/{shopId}/order-out/settings', tag, role: 'admin',
    summary: 'Set which order fields are sent', params: shopParams, body: settingsBody,
    responses: { 200: ok('stored', settingsAnswer) },
  },
];
