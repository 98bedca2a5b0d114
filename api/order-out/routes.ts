import express, { type Router } from 'express';
import { getDelivery, getOrderOutFields, listDeliveries, reopenFailed, setOrderOutFields } from '../../db/order-out';
import { HttpError } from '../http-error';
import { actorOf, requireRole } from '../auth';
import { auditedAs } from '../../operators/audit';
import type { ApiDeps } from '../app';
import { wakeOrderOutDelivery } from '../../order-out/wake-delivery';
import { deliveriesQuery, deliveryParams, settingsBody } from './schemas';

/**
 * /shops/:shopId/order-out: what went to the shop's external system (each attempt), one-call redelivery of a failed
 * row, and which order fields are sent. The URL and signing secret are the shop's `external-system` account.
 */
export function createOrderOutRoutes(deps: ApiDeps): Router {
  const router = express.Router({ mergeParams: true });

  router.get('/deliveries', async (req, res) => {
    const { shopId } = req.params as { shopId: string };
    res.json({ deliveries: await listDeliveries(deps.db, shopId, deliveriesQuery.parse(req.query)) });
  });

  router.post('/deliveries/:id/redeliver', async (req, res) => {
    const { shopId, id } = deliveryParams.parse(req.params);
    const found = await getDelivery(deps.db, shopId, id);
    if (!found) throw new HttpError(404, `no delivery ${id} for shop ${shopId}`);
    const row = await auditedAs(deps.db, actorOf(res), { shopId, process: 'order-out', orderId: found.orderId, action: 'order-out.redeliver', input: { deliveryId: id } }, async () => {
      const reopened = await reopenFailed(deps.db, shopId, id);
      if (!reopened) throw new HttpError(409, `delivery ${id} is ${found.status}: only a failed delivery is redelivered`);
      await wakeOrderOutDelivery({ client: deps.temporal, taskQueue: deps.taskQueue }, shopId, reopened.orderId);
      return reopened;
    });
    res.status(202).json({ id, orderId: row.orderId, status: row.status });
  });

  router.get('/settings', async (req, res) => {
    res.json({ fields: await getOrderOutFields(deps.db, (req.params as { shopId: string }).shopId) });
  });

  router.put('/settings', requireRole('admin'), async (req, res) => {
    const { fields } = settingsBody.parse(req.body ?? {});
    const { shopId } = req.params as { shopId: string };
    await auditedAs(deps.db, actorOf(res), { shopId, process: 'order-out', orderId: null, action: 'order-out.settings', input: { fields } },
      () => setOrderOutFields(deps.db, shopId, fields));
    res.json({ fields });
  });
  return router;
}
