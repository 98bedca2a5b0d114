import express, { type Router } from 'express';
import {
  deleteOperator, getOperator, insertOperator, insertToken, listOperators, listTokens, revokeToken, updateOperator,
} from '../../db/operators';
import { newId, newToken } from '../../operators/tokens';
import { auditedAs } from '../../operators/audit';
import { actorOf, requireEveryShopAdmin } from '../auth';
import { HttpError } from '../http-error';
import { idParams, operatorBody, operatorChange, tokenBody, tokenParams } from './schemas';
import type { ApiDeps } from '../app';

/**
 * /operators: who may work with renkei, their roles (seed 004's 参照 / 更新, and admin) and shops, and their API
 * tokens (shown once at creation, kept as a hash). Managed by admins of every shop; /operators/me answers anyone.
 */
export function createOperatorRoutes(deps: Pick<ApiDeps, 'db'>): Router {
  const router = express.Router();

  router.get('/operators/me', (_req, res) => {
    res.json(actorOf(res));
  });

  router.use('/operators', requireEveryShopAdmin);

  const audit = <T>(res: express.Response, action: string, input: unknown, effect: () => Promise<T>) =>
    auditedAs(deps.db, actorOf(res), { shopId: null, process: null, orderId: null, action, input }, effect);

  router.post('/operators', async (req, res) => {
    const body = operatorBody.parse(req.body);
    const created = await audit(res, 'operator.create', body, async () => {
      const row = await insertOperator(deps.db, { id: newId('op'), ...body });
      if (!row) throw new HttpError(409, `an operator named ${body.name} exists already`);
      return row;
    });
    res.status(201).json(created);
  });

  router.get('/operators', async (_req, res) => {
    res.json({ operators: await listOperators(deps.db) });
  });

  router.get('/operators/:id', async (req, res) => {
    const { id } = idParams.parse(req.params);
    const operator = await getOperator(deps.db, id);
    if (!operator) throw new HttpError(404, `no operator ${id}`);
    res.json({ ...operator, tokens: await listTokens(deps.db, id) });
  });

  router.patch('/operators/:id', async (req, res) => {
    const { id } = idParams.parse(req.params);
    const change = operatorChange.parse(req.body);
    res.json(await audit(res, 'operator.update', { id, ...change }, async () => {
      const row = await updateOperator(deps.db, id, change);
      if (!row) throw new HttpError(404, `no operator ${id}`);
      return row;
    }));
  });

  router.delete('/operators/:id', async (req, res) => {
    const { id } = idParams.parse(req.params);
    await audit(res, 'operator.delete', { id }, async () => {
      if (!(await deleteOperator(deps.db, id))) throw new HttpError(404, `no operator ${id}`);
    });
    res.status(204).end();
  });

  // the token is in this answer and nowhere else: only its hash is stored
  router.post('/operators/:id/tokens', async (req, res) => {
    const { id } = idParams.parse(req.params);
    const { label } = tokenBody.parse(req.body ?? {});
    const created = await audit(res, 'token.create', { operatorId: id, label: label ?? null }, async () => {
      if (!(await getOperator(deps.db, id))) throw new HttpError(404, `no operator ${id}`);
      const { token, hash } = newToken();
      return { ...(await insertToken(deps.db, { id: newId('tok'), operatorId: id, hash, label: label ?? null })), token };
    });
    res.status(201).json(created);
  });

  router.delete('/operators/:id/tokens/:tokenId', async (req, res) => {
    const { id, tokenId } = tokenParams.parse(req.params);
    res.json(await audit(res, 'token.revoke', { operatorId: id, tokenId }, async () => {
      const row = await revokeToken(deps.db, id, tokenId);
      if (!row) throw new HttpError(404, `operator ${id} has no token ${tokenId}`);
      return row;
    }));
  });

  return router;
}
