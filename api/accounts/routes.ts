import express, { type Router } from 'express';
import { isProvider, PROVIDERS, type Provider } from '../../accounts/provider-fields';
import type { AccountStore } from '../../db/provider-accounts';
import { HttpError } from '../http-error';
import { echoId } from '../../common/safe-text';
import { actorOf, requireRole } from '../auth';
import { auditedAs } from '../../operators/audit';
import type { ApiDeps } from '../app';
import { syncSchedulesAfterChange } from '../shops/sync-schedules';
import { accountBodyOf } from './schemas';

/**
 * /shops/:shopId/accounts: set, replace and read a shop's provider accounts. Secrets go in and never come out: a
 * read shows which fields are set and their last 4 characters.
 */
export function createAccountRoutes(deps: ApiDeps): Router {
  const router = express.Router({ mergeParams: true });

  const store = (): AccountStore => {
    if (!deps.accounts) throw new HttpError(503, 'provider accounts are not configured here: set ACCOUNTS_KEYS and ACCOUNTS_KEY_ID');
    return deps.accounts;
  };
  const providerOf = (p: string): Provider => {
    if (!isProvider(p)) throw new HttpError(404, `unknown provider ${echoId(p)}; one of ${PROVIDERS.join(', ')}`);
    return p;
  };

  router.get('/', async (req, res) => {
    const shopId = (req.params as { shopId: string }).shopId;
    res.json({ shopId, accounts: await store().describe(shopId) });
  });

  router.get('/:provider', async (req, res) => {
    const { shopId, provider } = req.params as { shopId: string; provider: string };
    const p = providerOf(provider);
    const found = (await store().describe(shopId)).find((a) => a.provider === p);
    if (!found) throw new HttpError(404, `shop ${shopId} has no ${p} account`);
    res.json(found);
  });

  router.put('/:provider', requireRole('admin'), async (req, res) => {
    const { shopId, provider } = req.params as { shopId: string; provider: string };
    const p = providerOf(provider);
    const account = accountBodyOf(p).parse(req.body ?? {});
    // the audit names the fields that were set, never their values
    const summary = await auditedAs(deps.db, actorOf(res), { shopId, process: p, orderId: null, action: 'account.put', input: { fields: Object.keys(account).sort() } },
      () => store().put(shopId, p, account as never));
    await syncSchedulesAfterChange(deps, shopId, p); // a yahoo or amazon-pay account gives the shop its schedule
    res.json(summary);
  });

  return router;
}
