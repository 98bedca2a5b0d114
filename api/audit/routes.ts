import express, { type Router } from 'express';
import { listAudit } from '../../db/audit-log';
import type { ApiDeps } from '../app';
import { auditQuery } from './schemas';

/**
 * /shops/:shopId/audit: who did what to which order, and how it ended; newest first, paged by nextCursor. Mounted
 * also at /audit for admins of every shop: every row, the deployment-wide ones (operators, tokens) included.
 */
export function createAuditRoutes(deps: Pick<ApiDeps, 'db'>): Router {
  const router = express.Router({ mergeParams: true });
  router.get('/', async (req, res) => {
    const { shopId } = req.params as { shopId?: string };
    const { cursor, ...q } = auditQuery.parse(req.query);
    const entries = await listAudit(deps.db, { shopId, ...q, beforeId: cursor });
    res.json({ entries, nextCursor: entries.length === q.limit ? entries[entries.length - 1]!.id : null });
  });
  return router;
}
