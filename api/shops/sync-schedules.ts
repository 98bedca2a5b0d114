import { getShop } from '../../db/shops';
import { createLogger } from '../../common/logger';
import { scheduleSettings, syncShopSchedules, type HasProcess } from '../../shops/shop-schedules';
import type { ApiDeps } from '../app';

const log = createLogger('api');

/** What a shop's schedules follow: its settings for these processes, its accounts with these providers. */
const SCHEDULED = new Set(['yahoo', 'amazon-pay']);

/**
 * After a shop's change is stored (enabled, yahoo / amazon-pay settings, a yahoo / amazon-pay account), its schedules
 * are brought in line at once. The change is stored first and kept whatever happens here: a Temporal that does not
 * answer costs the request its Temporal deadline (temporalDeadline, 8 s by default) and a warning in the log, never
 * the change (the answer is still 200), and the worker's reconcile (at its start, then every 5 minutes) syncs the
 * schedules from what is stored. We chose the reconcile over an outbox of owed syncs: the stored settings are already
 * the whole truth, so re-reading them needs no second record. `what` is the process or provider changed; another one
 * (au-pay, oplux, ...) has no schedule to follow.
 *
 * The API cannot see the worker's environment, which gives the configured shop Yahoo and Amazon Pay without a stored
 * account: for a provider with no stored account it neither creates nor deletes (HasProcess 'unknown'), it only
 * updates a schedule that exists; the worker decides those.
 */
export async function syncSchedulesAfterChange(deps: Pick<ApiDeps, 'db' | 'shops' | 'temporal' | 'taskQueue' | 'accounts'>, shopId: string, what?: string): Promise<void> {
  // without the shops' records (tests that fix the known shops) there is nothing to follow
  if (!deps.shops || (what !== undefined && !SCHEDULED.has(what))) return;
  try {
    const shop = await getShop(deps.db, shopId);
    if (!shop) return;
    const stored = new Set((await deps.accounts?.describe(shopId))?.map((a) => a.provider));
    const has = (provider: 'yahoo' | 'amazon-pay'): HasProcess => (stored.has(provider) ? true : 'unknown');
    const settings = await scheduleSettings(deps.db, shopId);
    await syncShopSchedules(deps.temporal, {
      shopId, enabled: shop.enabled, settings, taskQueue: deps.taskQueue, has: { yahoo: has('yahoo'), amazonPay: has('amazon-pay') },
    });
  } catch (err) {
    log.warn('shop schedules not synced; the worker\'s reconcile will', { shopId, error: (err as Error).message });
  }
}
