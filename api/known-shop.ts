import type { RequestHandler } from 'express';
import { HttpError } from './http-error';
import { echoId } from '../common/safe-text';
import { seesShop } from '../operators/roles';
import { actorOf } from './auth';
import type { ApiDeps } from './app';

/** Every /shops/:shopId route answers 404 for a shop this deployment does not serve, or the caller may not see. */
export const requireKnownShop = (deps: Pick<ApiDeps, 'isKnownShop'>): RequestHandler => async (req, res, next) => {
  const { shopId } = req.params as { shopId: string };
  next(seesShop(actorOf(res), shopId) && (await deps.isKnownShop(shopId)) ? undefined : new HttpError(404, `unknown shop ${echoId(shopId)}`));
};
