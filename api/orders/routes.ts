import express, { type Router } from 'express';
import { countOrders, listOrders, ORDER_LIST_STATUSES } from '../../db/order-lists';
import { encodeOrderCursor, orderListQuery } from './schemas';
import { orderTimeline } from './timeline';
import type { ApiDeps } from '../app';

/**
 * /shops/:shopId/orders: one process's orders, newest change first, with the shop's counts per status for that
 * process (for badges: the whole shop, whatever the filters and the page); and one order's timeline. Read from
 * PostgreSQL only.
 */
export function createOrderRoutes(deps: ApiDeps): Router {
  const router = express.Router({ mergeParams: true });

  router.get('/', async (req, res) => {
    const { shopId } = req.params as { shopId: string };
    const q = orderListQuery.parse(req.query);
    const [page, counts] = await Promise.all([listOrders(deps.db, { shopId, ...q }), countOrders(deps.db, shopId, q.process)]);
    res.json({
      process: q.process, items: page.rows, nextCursor: page.next ? encodeOrderCursor(page.next) : null, counts,
      statuses: ORDER_LIST_STATUSES[q.process],
    });
  });

  router.get('/:orderId/timeline', orderTimeline(deps));
  return router;
}
