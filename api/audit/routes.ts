import express, { type Router } from 'express';
import { z } from 'zod';
import { listAudit } from '../../db/audit-log';
import type { ApiDeps } from '../app';

const auditQuery = z.object({
  orderId: z.string().min(1).max(64).optional(),
  operator: z.string().min(1).max(120).optional(),
  action: z.string().regex(/^[a-z0-9.-]{1,64}$/, 'an action name, e.g. au-pay.link-status').optional(),
  since: z.iso.datetime({ offset: true, message: 'an ISO time, e.g. 2026-11-30T09:00:00+09:00' }).optional(),
  until: z.iso.datetime({ offset: true, message: 'an ISO time, e.g. 2026-11-30T18:00:00+09:00' }).optional(),
  cursor: z.string().regex(/^\d{1,18}$/, 'the nextCursor of the previous page').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

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
