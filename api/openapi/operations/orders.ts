import type { ApiOperation } from '../operation';
import { fail, ok, shopParams } from '../common';
import { orderListAnswer, orderListQuery, orderParams, timelineAnswer } from '../../orders/schemas';

const tag = 'Orders';

export const ORDER_OPERATIONS: ApiOperation[] = [
  {
    method: 'get', path: '/shops/{shopId}/orders', tag, role: 'viewer',
    summary: "One process's orders, newest change first, with its own fields and the shop's counts per status",
    params: shopParams, query: orderListQuery,
    responses: { 200: ok('a page, its cursor and the counts', orderListAnswer) },
  },
  {
    method: 'get', path: '/shops/{shopId}/orders/{orderId}/timeline', tag, role: 'viewer',
    summary: 'Everything renkei did for an order, oldest first, and its processes with their workflow in the Temporal Web UI',
    params: orderParams,
    responses: { 200: ok('the timeline', timelineAnswer), 404: fail('no process knows the order') },
  },
];
