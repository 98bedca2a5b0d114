import express, { type Router } from 'express';
import { z } from 'zod';
import { getThrottleSettings, listMails, setThrottleSettings } from '../../db/mail-log';
import { actorOf, requireRole } from '../auth';
import { auditedAs } from '../../operators/audit';
import type { ApiDeps } from '../app';

const listQuery = z.object({
  status: z.enum(['sending', 'sent', 'suppressed', 'failed']).optional(),
  recipient: z.string().email().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const throttleBody = z.object({
  windowMinutes: z.number().int().min(1).max(1440),
  threshold: z.number().int().min(1).max(10_000),
}).strict();

/** /shops/:shopId/mails and /mail-throttle: every mail renkei sent or held back, and the per-address throttle (#1241). */
export function createMailRoutes(deps: ApiDeps): Router {
  const router = express.Router({ mergeParams: true });

  router.get('/mails', async (req, res) => {
    const { shopId } = req.params as { shopId: string };
    const q = listQuery.parse(req.query);
    res.json({ mails: await listMails(deps.db, shopId, { status: q.status, recipient: q.recipient?.toLowerCase(), limit: q.limit }) });
  });

  router.get('/mail-throttle', async (req, res) => {
    const s = await getThrottleSettings(deps.db, (req.params as { shopId: string }).shopId);
    res.json({ windowMinutes: s.windowSeconds / 60, threshold: s.threshold });
  });

  router.put('/mail-throttle', requireRole('admin'), async (req, res) => {
    const { shopId } = req.params as { shopId: string };
    const b = throttleBody.parse(req.body ?? {});
    await auditedAs(deps.db, actorOf(res), { shopId, process: 'mail', orderId: null, action: 'mail-throttle.set', input: b },
      () => setThrottleSettings(deps.db, shopId, { windowSeconds: b.windowMinutes * 60, threshold: b.threshold }));
    res.json(b);
  });
  return router;
}
