import express, { type Router } from 'express';
import { getShop, insertShop, listShops, putSettings, updateShop } from '../../db/shops';
import { auditedAs } from '../../operators/audit';
import { seesShop } from '../../operators/roles';
import { isSettingsProcess, PROCESS_SETTINGS, SETTINGS_PROCESSES } from '../../shops/settings';
import { createShopDirectory } from '../../shops/shop-directory';
import { echoId } from '../../common/safe-text';
import { actorOf, requireEveryShopAdmin, requireRole } from '../auth';
import { HttpError } from '../http-error';
import { shopBody, shopChange } from './schemas';
import { syncSchedulesAfterChange } from './sync-schedules';
import type { ApiDeps } from '../app';

/**
 * /shops: the deployment's shops (created by an admin of every shop; read and changed by an admin who sees the shop,
 * a disabled one included, so it can be enabled again). Mounted before the known-shop check of /shops/:shopId.
 */
export function createShopRoutes(deps: Pick<ApiDeps, 'db' | 'shops' | 'temporal' | 'taskQueue' | 'accounts'>): Router {
  const router = express.Router();
  const forget = (shopId: string) => deps.shops?.forget(shopId);

  router.post('/shops', requireEveryShopAdmin, async (req, res) => {
    const body = shopBody.parse(req.body);
    const shop = await auditedAs(deps.db, actorOf(res), { shopId: body.id, process: null, orderId: null, action: 'shop.create', input: body }, async () => {
      const row = await insertShop(deps.db, body);
      if (!row) throw new HttpError(409, `shop ${body.id} exists already`);
      return row;
    });
    forget(shop.id);
    res.status(201).json(shop);
  });

  router.get('/shops', async (_req, res) => {
    res.json({ shops: await listShops(deps.db, actorOf(res).shops) });
  });

  router.get('/shops/:shopId', async (req, res) => {
    res.json(await visibleShop(res, (req.params as { shopId: string }).shopId));
  });

  router.patch('/shops/:shopId', requireRole('admin'), async (req, res) => {
    const { shopId } = req.params as { shopId: string };
    await visibleShop(res, shopId);
    const change = shopChange.parse(req.body);
    const shop = await auditedAs(deps.db, actorOf(res), { shopId, process: null, orderId: null, action: 'shop.update', input: change },
      async () => (await updateShop(deps.db, shopId, change))!);
    forget(shopId);
    if (change.enabled !== undefined) await syncSchedulesAfterChange(deps, shopId); // stored first; a sync that fails is the worker's to redo
    res.json(shop);
  });

  async function visibleShop(res: express.Response, shopId: string) {
    const shop = seesShop(actorOf(res), shopId) ? await getShop(deps.db, shopId) : undefined;
    if (!shop) throw new HttpError(404, `unknown shop ${echoId(shopId)}`);
    return shop;
  }

  return router;
}

/** /shops/:shopId/settings: each process's settings (the defaults for what was never set); replaced by an admin. */
export function createShopSettingsRoutes(deps: Pick<ApiDeps, 'db' | 'shops' | 'temporal' | 'taskQueue' | 'accounts'>): Router {
  const router = express.Router({ mergeParams: true });
  const directory = deps.shops ?? createShopDirectory(deps.db, { cacheMs: 0 });

  router.get('/', async (req, res) => {
    const { shopId } = req.params as { shopId: string };
    res.json(Object.fromEntries(await Promise.all(SETTINGS_PROCESSES.map(async (p) => [p, await directory.settings(shopId, p)]))));
  });

  router.get('/:process', async (req, res) => {
    const { shopId, process } = req.params as { shopId: string; process: string };
    res.json(await directory.settings(shopId, processOr404(process)));
  });

  // the whole settings of one process, replaced: what is left out takes its default
  router.put('/:process', requireRole('admin'), async (req, res) => {
    const { shopId, process } = req.params as { shopId: string; process: string };
    const p = processOr404(process);
    const settings = PROCESS_SETTINGS[p].parse(req.body ?? {});
    await auditedAs(deps.db, actorOf(res), { shopId, process: p, orderId: null, action: 'settings.put', input: settings }, () => putSettings(deps.db, shopId, p, settings));
    deps.shops?.forget(shopId);
    await syncSchedulesAfterChange(deps, shopId, p); // the yahoo sweep's or amazon-pay review report's interval
    res.json(settings);
  });

  return router;
}

function processOr404(process: string) {
  if (!isSettingsProcess(process)) throw new HttpError(404, `no settings for ${echoId(process)}; one of ${SETTINGS_PROCESSES.join(', ')}`);
  return process;
}
