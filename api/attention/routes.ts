import express, { type Router } from 'express';
import { countAttention, listAttention } from '../../db/attention';
import { attentionQuery, encodeCursor } from './schemas';
import type { ApiDeps } from '../app';

/**
 * /shops/:shopId/attention: every order waiting for a person or stopped at an error, in every process, oldest first,
 * with the shop's counts per process and status (for badges: the whole shop, whatever the filters and the page).
 * Read from PostgreSQL only, not from Temporal's visibility.
 */
export function createAttentionRoutes(deps: ApiDeps): Router {
  const router = express.Router({ mergeParams: true });

  router.get('/', async (req, res) => {
    const { shopId } = req.params as { shopId: string };
    const q = attentionQuery.parse(req.query);
    const [page, counts] = await Promise.all([
      listAttention(deps.db, { shopId, process: q.process, status: q.status, olderThan: q.olderThan, after: q.cursor, limit: q.limit }),
      countAttention(deps.db, shopId),
    ]);
    res.json({ items: page.rows, nextCursor: page.next ? encodeCursor(page.next) : null, counts });
  });
  return router;
}
