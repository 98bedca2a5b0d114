import express, { type Router } from 'express';
import { getThrottleSettings, listMails, setThrottleSettings } from '../../db/mail-log';
import { actorOf, requireRole } from '../auth';
import { auditedAs } from '../../operators/audit';
import type { ApiDeps } from '../app';
import { mailListQuery, throttleBody } from './schemas';

/** /shops/:shopId/mails and /mail-throttle: every mail renkei sent or held back, and the per-address throttle (#1241). */
export function createMailRoutes(deps: ApiDeps): Router {
  const router = express.Router({ mergeParams: true });

  router.get('/mails', async (req, res) => {
    const { shopId } = req.params as { shopId: string };
    const q = mailListQuery.parse(req.query);
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
