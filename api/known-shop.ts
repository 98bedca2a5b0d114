import type { RequestHandler } from 'express';
import { HttpError } from './http-error';
import { echoId } from '../common/safe-text';
import type { ApiDeps } from './app';

/** Every /shops/:shopId route answers 404 for a shop this deployment does not serve. */
export const requireKnownShop = (deps: Pick<ApiDeps, 'isKnownShop'>): RequestHandler => (req, _res, next) => {
  const { shopId } = req.params as { shopId: string };
  next(deps.isKnownShop(shopId) ? undefined : new HttpError(404, `unknown shop ${echoId(shopId)}`));
};
