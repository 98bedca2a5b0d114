import {
  ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy,
  type Client, type ScheduleDescription, type ScheduleHandle, type ScheduleOptions,
} from '@temporalio/client';
import type { Pool } from 'pg';
import { createLogger } from '../common/logger';
import type { AccountStore } from '../db/provider-accounts';
import { getStoredSettings, listShops } from '../db/shops';
import { amazonPayReviewReportWorkflow } from '../workflows/amazon-pay-review-report';
import { yahooWindowSweepWorkflow } from '../workflows/yahoo-window-sweep';
import { PROCESS_SETTINGS } from './settings';

/**
 * Each shop's own Temporal Schedules: the Yahoo sweep and the Amazon Pay review report, one per shop and process,
 * following the shop's record (enabled), its settings (the interval) and its accounts (whether it has the process).
 * The deployment-wide schedules (mail throttle summaries, au PAY key reminders) are in workers/schedules.ts.
 */

const log = createLogger('shop-schedules');

// The ids existing deployments have: never change them (a new id would leave the old schedule running beside it).
export const reviewReportScheduleId = (shopId: string) => `amazon-pay-review-report:${shopId}`;
export const yahooSweepScheduleId = (shopId: string) => `yahoo-window-sweep:${shopId}`;

export const SHOP_SCHEDULE_PROCESSES = ['yahoo', 'amazonPay'] as const;
export type ShopScheduleProcess = (typeof SHOP_SCHEDULE_PROCESSES)[number];

/**
 * Whether the shop has a process. 'unknown': the caller cannot tell (the API does not see the worker's environment,
 * which gives the configured shop its Yahoo and Amazon Pay without a stored account): an existing schedule is kept
 * and updated, none is created or deleted for it; the worker, which knows, decides at its next reconcile.
 */
export type HasProcess = boolean | 'unknown';

export interface ShopScheduleState {
  shopId: string;
  enabled: boolean;
  /** The intervals, from the shop's settings (the zod schemas bound them; fractions of a minute are for tests). */
  settings: { yahoo: { sweepEveryMinutes: number }; amazonPay: { reviewReportEveryMinutes: number } };
  has: Record<ShopScheduleProcess, HasProcess>;
  taskQueue: string;
}

export type ScheduleChange = 'created' | 'updated' | 'deleted' | 'unchanged' | 'absent';
export type ShopScheduleSync = Array<{ process: ShopScheduleProcess; scheduleId: string; change: ScheduleChange }>;

const minutes = (m: number) => Math.round(m * 60_000);

/** The schedule each process calls for, and whether it should exist (a disabled shop has none). */
export function shopScheduleDefinitions(s: ShopScheduleState): Array<{ process: ShopScheduleProcess; want: HasProcess; options: ScheduleOptions }> {
  const want = (p: ShopScheduleProcess): HasProcess => (s.enabled ? s.has[p] : false);
  const yahooId = yahooSweepScheduleId(s.shopId);
  const reviewId = reviewReportScheduleId(s.shopId);
  return [
    {
      // Yahoo has no push: sweep orderList for the payment-method-change windows (seed 002)
      process: 'yahoo', want: want('yahoo'),
      options: {
        scheduleId: yahooId,
        spec: { intervals: [{ every: minutes(s.settings.yahoo.sweepEveryMinutes) }] },
        policies: { overlap: ScheduleOverlapPolicy.SKIP },
        action: { type: 'startWorkflow', workflowType: yahooWindowSweepWorkflow, workflowId: yahooId, args: [s.shopId], taskQueue: s.taskQueue },
      },
    },
    {
      process: 'amazonPay', want: want('amazonPay'),
      options: {
        scheduleId: reviewId,
        spec: { intervals: [{ every: minutes(s.settings.amazonPay.reviewReportEveryMinutes) }] },
        policies: { overlap: ScheduleOverlapPolicy.SKIP },
        // the workflow id the SDK gave it when it was created without one: no update for existing deployments
        action: { type: 'startWorkflow', workflowType: amazonPayReviewReportWorkflow, workflowId: `${reviewId}-workflow`, args: [s.shopId], taskQueue: s.taskQueue },
      },
    },
  ];
}

/**
 * Makes the shop's schedules what its state calls for: creates a missing one, updates one whose interval or action
 * differs (its paused state, set by an operator in the Web UI, is kept), deletes one that should not exist.
 * Idempotent, and safe when two callers race: a create that finds the schedule there updates it instead, a delete
 * that finds none is done, an update that finds none creates it. The last writer wins; both wrote from stored
 * settings, and the worker's periodic reconcile settles what a race left behind.
 */
export async function syncShopSchedules(client: Client, state: ShopScheduleState): Promise<ShopScheduleSync> {
  const result: ShopScheduleSync = [];
  for (const d of shopScheduleDefinitions(state)) {
    result.push({ process: d.process, scheduleId: d.options.scheduleId, change: await syncOne(client, d.want, d.options) });
  }
  return result;
}

async function syncOne(client: Client, want: HasProcess, options: ScheduleOptions): Promise<ScheduleChange> {
  const handle = client.schedule.getHandle(options.scheduleId);
  if (want === false) {
    try {
      await handle.delete();
      log.info('schedule deleted', { id: options.scheduleId });
      return 'deleted';
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return 'absent';
      throw err;
    }
  }
  // a few rounds at most: each lost race moves to the other branch (created meanwhile, deleted meanwhile)
  for (let round = 0; ; round += 1) {
    const current = await describeOrUndefined(handle);
    if (!current) {
      if (want === 'unknown') return 'absent';
      try {
        await client.schedule.create(options);
        log.info('schedule created', { id: options.scheduleId });
        return 'created';
      } catch (err) {
        if (!(err instanceof ScheduleAlreadyRunning) || round >= 2) throw err;
        continue; // created by another caller meanwhile: compare with theirs
      }
    }
    if (matches(current, options)) return 'unchanged';
    try {
      await handle.update((prev) => ({
        ...prev, spec: options.spec, action: options.action, policies: { ...prev.policies, ...options.policies },
      }));
      log.info('schedule updated', { id: options.scheduleId, everyMs: Number(options.spec.intervals?.[0]?.every) });
      return 'updated';
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError) || round >= 2) throw err; // deleted meanwhile: create it again
    }
  }
}

async function describeOrUndefined(handle: ScheduleHandle): Promise<ScheduleDescription | undefined> {
  try {
    return await handle.describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return undefined;
    throw err;
  }
}

/** The interval, the action and the overlap policy as wanted (what an update would set). */
function matches(current: ScheduleDescription, wanted: ScheduleOptions): boolean {
  const spec = current.spec;
  const intervals = spec.intervals ?? [];
  const every = wanted.spec.intervals?.[0]?.every;
  const a = current.action;
  const w = wanted.action;
  return intervals.length === 1 && intervals[0]!.every === every && !intervals[0]!.offset && !spec.calendars?.length
    && a.workflowType === (typeof w.workflowType === 'string' ? w.workflowType : w.workflowType.name) && a.workflowId === w.workflowId && a.taskQueue === w.taskQueue
    && JSON.stringify(a.args) === JSON.stringify(w.args)
    && current.policies.overlap === wanted.policies?.overlap;
}

/** The shop this worker's environment configures: it has Yahoo and Amazon Pay without stored accounts (as before shops). */
export interface ConfiguredShop {
  shopId: string;
  yahoo: boolean;
  amazonPay: boolean;
}

export interface ShopScheduleSources {
  db: Pick<Pool, 'query'>;
  /** Sealed accounts; absent when the deployment has no ACCOUNTS_KEYS (then only the configured shop has processes). */
  accounts?: Pick<AccountStore, 'describe' | 'shopsWith'>;
  configured?: ConfiguredShop;
  taskQueue: string;
}

/** Both intervals from the shop's stored settings, the defaults for what is not stored. */
export async function scheduleSettings(db: Pick<Pool, 'query'>, shopId: string): Promise<ShopScheduleState['settings']> {
  const [yahoo, amazonPay] = await Promise.all([
    getStoredSettings(db, shopId, 'yahoo').then((s) => PROCESS_SETTINGS.yahoo.parse(s ?? {})),
    getStoredSettings(db, shopId, 'amazon-pay').then((s) => PROCESS_SETTINGS['amazon-pay'].parse(s ?? {})),
  ]);
  return { yahoo, amazonPay };
}

/**
 * Every shop's schedules as the worker knows them: each shop in the table (a disabled one loses its schedules), and
 * the configured shop even before the API's first start writes its row. A shop that fails (bad stored settings,
 * Temporal refusing) is logged and does not stop the others; the count of failures is returned.
 */
export async function syncAllShopSchedules(client: Client, src: ShopScheduleSources): Promise<{ shops: number; failed: number; changes: ShopScheduleSync }> {
  const rows = await listShops(src.db, null);
  const shops = rows.map((r) => ({ id: r.id, enabled: r.enabled }));
  if (src.configured && !shops.some((s) => s.id === src.configured!.shopId)) shops.push({ id: src.configured.shopId, enabled: true });
  const [yahooShops, amazonPayShops] = (src.accounts
    ? await Promise.all([src.accounts.shopsWith('yahoo'), src.accounts.shopsWith('amazon-pay')])
    : [[], []]).map((ids) => new Set(ids)) as [Set<string>, Set<string>];
  const changes: ShopScheduleSync = [];
  let failed = 0;
  for (const shop of shops) {
    const configured = src.configured?.shopId === shop.id ? src.configured : undefined;
    try {
      changes.push(...await syncShopSchedules(client, {
        shopId: shop.id, enabled: shop.enabled, taskQueue: src.taskQueue,
        settings: await scheduleSettings(src.db, shop.id),
        has: { yahoo: yahooShops.has(shop.id) || !!configured?.yahoo, amazonPay: amazonPayShops.has(shop.id) || !!configured?.amazonPay },
      }));
    } catch (err) {
      failed += 1;
      log.warn('shop schedules not synced', { shopId: shop.id, error: (err as Error).message });
    }
  }
  return { shops: shops.length, failed, changes };
}

/** How often the worker re-syncs every shop's schedules: what an API could not tell Temporal is done within this. */
export const SHOP_SCHEDULE_RECONCILE_MS = 5 * 60_000;

/**
 * The worker's periodic reconcile. The API syncs a shop's schedules right after a change, but only after the change
 * is stored, and a Temporal it cannot reach then (or a race between two APIs, or an account removed in the database)
 * leaves a schedule behind the settings: this pass, every SHOP_SCHEDULE_RECONCILE_MS, catches it up. Runs one pass
 * at a time; stop() waits for the pass under way.
 */
export function runShopScheduleReconciler(client: Client, src: ShopScheduleSources, o: { everyMs?: number } = {}): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    running = syncAllShopSchedules(client, src)
      .then((r) => { if (r.failed) log.warn('shop schedules reconcile left shops behind', { shops: r.shops, failed: r.failed }); })
      .catch((err) => log.warn('shop schedules reconcile failed', { error: (err as Error).message }))
      .finally(() => { busy = false; });
  }, o.everyMs ?? SHOP_SCHEDULE_RECONCILE_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
