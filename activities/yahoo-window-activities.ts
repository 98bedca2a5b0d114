import type { ShopDirectory } from '../shops/shop-directory';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { Pool } from 'pg';
import type { YahooClient, YahooListedOrder } from '../yahoo/client';
import { YahooApiError } from '../yahoo/errors';
import { formatCompactDateTime, parseYahooDateTime } from '../yahoo/dates';
import { CHANGE_DONE_SETTLE_STATUSES } from '../yahoo/pay-method-change';
import { WARNING } from '../yahoo/schemas';
import { applyWindowUpdate, windowStatuses, type WindowUpdate } from '../db/yahoo-orders';
import { deadlineMail, linkErrorMail } from '../mail/yahoo-window-mails';
import type { Mailer } from '../mail/mailer';
import { orderSeenSignal, type OrderSighting } from '../workflows/yahoo-pay-method-window-messages';
import { WINDOW_STATUS, type WindowOrderView } from '../workflows/yahoo-window-status';
import { yahooPayMethodWindowWorkflowId } from '../workflows/workflow-ids';
import { ORDER_ID, PAY_METHOD_CHANGE_DEADLINE, SHOP_ID, YAHOO_WINDOW_STATUS } from '../workflows/search-attributes';
import { failingAs, providerShop, type ShopLookup } from './provider-shop';
import { statusChanged } from '../metrics/business-events';

/** What the shop does when the buyer lets the deadline pass. */
export interface YahooWindowSettings {
  /** cancel at Yahoo with cancelReason, or hand the order to an operator (status and mail) */
  deadlineAction: 'cancel' | 'operator';
  /** a store CancelReason (A.2), e.g. 200 決済方法都合 or 170 決済審査不可 */
  cancelReason: string;
  /** needed (10–200 chars) with 230 */
  cancelReasonDetail?: string;
}

/** How the sweep pages through orderList and starts workflows. */
export interface YahooSweepSettings {
  /** orderList page size, at most 2000 */
  pageSize: number;
  /** orderList calls per second we allow ourselves (Yahoo: 10 per API); 0 = no pacing */
  requestsPerSecond: number;
  /** the deadline range starts this many days back, so a change right at the deadline is still found */
  lookbackDays: number;
  /** workflow starts and signals in flight at once */
  parallel: number;
}

export interface YahooShop {
  client: YahooClient;
  /** the configured shop's SHOP_NOTIFY_EMAIL; any other shop's mails go to the addresses its record keeps */
  notifyEmail?: string;
  window: YahooWindowSettings;
  sweep: YahooSweepSettings;
}

export interface YahooActivityDeps {
  db: Pool;
  mailer: Mailer;
  /** The shop's Yahoo client and settings, built by the worker from its account; undefined when the shop has none. */
  yahooShop: ShopLookup<YahooShop>;
  /** The shops' settings in PostgreSQL: when given, the window's deadline action and cancel reason come from there. */
  shops?: Pick<ShopDirectory, 'settings'>;
}

export interface SweepResult {
  pages: number;
  listed: number;
  started: number;
  signalled: number;
  /** known to the database, or already started/closed at Temporal: left alone */
  skipped: number;
  rateLimited: number;
}

interface SweepProgress {
  recipe: 1 | 2;
  start: number;
  counts: SweepResult;
}

/** The fields the window reads with orderInfo (A.4, A.5). */
const INFO_FIELDS = [
  'OrderId', 'OrderStatus', 'PayStatus', 'SettleStatus', 'PayMethod', 'PayMethodName', 'PayMethodChangeDeadline',
  'PayMethodChangeDoneDate', 'IsPayMethodChangePossible', 'ShipStatus',
];
/** orderList has no PayMethodChangeDoneDate (A.3). */
const LIST_FIELDS = ['OrderId', 'OrderTime', 'OrderStatus', 'SettleStatus', 'PayMethod', 'PayMethodChangeDeadline', 'IsPayMethodChangePossible'];
const DAY_MS = 86_400_000;
/** 翌日から7日後 read either way fits in 9 days (A.5). */
const AHEAD_MS = 9 * DAY_MS;
const WORKFLOW_TYPE = 'yahooPayMethodWindowWorkflow';

const instant = (v: string | undefined): string | null => (v ? parseYahooDateTime(v)?.toISOString() ?? null : null);

export function createYahooWindowActivities(deps: YahooActivityDeps) {
  const shopOf = providerShop(deps.yahooShop, 'Yahoo!ショッピング');
  const pick = ({ pageSize, requestsPerSecond }: { pageSize: number; requestsPerSecond: number }) => ({ pageSize, requestsPerSecond });
  const windowSettings = async (shopId: string): Promise<YahooWindowSettings> => {
    if (!deps.shops) return (await shopOf(shopId)).window;
    const { deadlineAction, cancelReason } = await deps.shops.settings(shopId, 'yahoo');
    return { deadlineAction, cancelReason };
  };

  const call = failingAs(toFailure, 'yahoo');

  async function readView(client: YahooClient, orderId: string): Promise<WindowOrderView> {
    const info = await call(() => client.orderInfo(orderId, INFO_FIELDS));
    const { pay, ship, order } = info;
    return {
      orderStatus: order.OrderStatus ?? '', settleStatus: pay.SettleStatus ?? '', payStatus: pay.PayStatus ?? null,
      shipStatus: ship.ShipStatus ?? null, payMethod: pay.PayMethod ?? '', payMethodName: pay.PayMethodName ?? null,
      deadline: instant(pay.PayMethodChangeDeadline), doneAt: instant(pay.PayMethodChangeDoneDate),
      changePossible: pay.IsPayMethodChangePossible === 'true',
    };
  }

  return {
    /** orderInfo: where the order stands now (the only source of PayMethodChangeDoneDate). */
    async yahooReadOrder(i: { shopId: string; orderId: string }): Promise<WindowOrderView> {
      return readView((await shopOf(i.shopId)).client, i.orderId);
    },

    // read when the deadline comes, so a change of the shop's settings applies to the next decision
    yahooWindowSettings: (i: { shopId: string }): Promise<YahooWindowSettings> => windowSettings(i.shopId),

    /** ShipStatus → 1 出荷可 (IsPointFix true, A.6). od91705 (already 1) is a success. */
    async yahooReleaseForShipping(i: { shopId: string; orderId: string }): Promise<{ warnings: string[] }> {
      const { client } = await shopOf(i.shopId);
      const warnings = await call(() => client.orderShipStatusChange({ orderId: i.orderId, shipStatus: '1', operationUser: 'renkei' }));
      return { warnings: warnings.map((w) => w.code) };
    },

    /**
     * orderStatusChange to 4 with the shop's cancel reason. od91705 or an order already canceled count as done;
     * od91704 (accepted asynchronously) is reported so the workflow reads until OrderStatus shows 4.
     */
    async yahooCancelOrder(i: { shopId: string; orderId: string }): Promise<{ accepted: 'done' | 'async' | 'alreadyCanceled'; warnings: string[] }> {
      const { client } = await shopOf(i.shopId);
      const window = await windowSettings(i.shopId);
      try {
        const warnings = await client.orderStatusChange({
          orderId: i.orderId, status: '4', isPointFix: false, cancelReason: window.cancelReason,
          cancelReasonDetail: window.cancelReasonDetail, operationUser: 'renkei',
        });
        const codes = warnings.map((w) => w.code);
        return { accepted: codes.includes(WARNING.cancelAsync) ? 'async' : 'done', warnings: codes };
      } catch (err) {
        if (err instanceof YahooApiError && !err.retryable && err.httpStatus === 400) {
          const now = await readView(client, i.orderId).catch(() => undefined);
          if (now?.orderStatus === '4') return { accepted: 'alreadyCanceled', warnings: [] };
        }
        throw toFailure(err);
      }
    },

    /** The window row and, when the update calls for it, its order data OUT row, in one statement. */
    async recordYahooWindow(u: WindowUpdate): Promise<void> {
      await applyWindowUpdate(deps.db, u);
      statusChanged('yahoo', u, u.windowStatus, { decision: u.decision ?? undefined, operator: u.decidedBy ?? undefined, error: u.lastError ?? undefined });
    },

    async sendYahooDeadlineMail(i: { shopId: string; orderId: string; deadline: string; payMethod: string | null }): Promise<void> {
      const { notifyEmail } = await shopOf(i.shopId);
      await deps.mailer.send({ ...deadlineMail(notifyEmail, i), shopId: i.shopId });
    },

    async sendYahooLinkErrorMail(i: { shopId: string; orderId: string; step: string; message: string }): Promise<void> {
      const { notifyEmail } = await shopOf(i.shopId);
      await deps.mailer.send({ ...linkErrorMail(notifyEmail, i), shopId: i.shopId });
    },

    /**
     * The sweep (seed 002's two recipes over the same deadline range): #1 SettleStatus 10 + IsPayMethodChangePossible
     * true starts a window workflow for each order not known yet; #2 a changed order's SettleStatus (3, 2 …) signals (or starts) the window of
     * each order still 変更待ち. Pages are paced under the rate limit; a 403 waits and asks again; progress is
     * heartbeated, so a retried attempt goes on from the last page done. Known orders cost no Temporal call.
     */
    async sweepYahooWindows(i: { shopId: string; at: string }): Promise<SweepResult> {
      const { client, sweep: configured } = await shopOf(i.shopId);
      // page size and pace as the shop's settings say now
      const sweep = deps.shops ? { ...configured, ...pick(await deps.shops.settings(i.shopId, 'yahoo')) } : configured;
      const ctx = Context.current();
      const temporal: Client = ctx.client;
      const taskQueue = ctx.info.taskQueue;
      const at = Date.parse(i.at);
      const range = {
        PayMethodChangeDeadlineFrom: formatCompactDateTime(new Date(at - sweep.lookbackDays * DAY_MS)),
        PayMethodChangeDeadlineTo: formatCompactDateTime(new Date(at + AHEAD_MS)),
        ReadOnlyMode: '2', // the first 10 minutes of an order too
      };
      const recipes = {
        1: { SettleStatus: '10', IsPayMethodChangePossible: 'true', ...range },
        // every state a completed change can show, not only the seed's 3: a change to コンビニ starts at 2
        2: { SettleStatus: CHANGE_DONE_SETTLE_STATUSES.join(','), ...range },
      } as const;
      const resumed = ctx.info.heartbeatDetails as SweepProgress | undefined;
      const progress: SweepProgress = resumed ?? { recipe: 1, start: 1, counts: { pages: 0, listed: 0, started: 0, signalled: 0, skipped: 0, rateLimited: 0 } };
      const { counts } = progress;
      const size = Math.min(Math.max(sweep.pageSize, 1), 2000);
      const gapMs = sweep.requestsPerSecond > 0 ? Math.ceil(1000 / sweep.requestsPerSecond) : 0;
      let lastCall = 0;

      async function page(recipe: 1 | 2, start: number) {
        for (let attempt = 0; ; attempt++) {
          const wait = lastCall + gapMs - Date.now();
          if (wait > 0) await ctx.sleep(wait);
          lastCall = Date.now();
          try {
            return await client.orderList({ condition: recipes[recipe], fields: LIST_FIELDS, result: size, start, sort: '+order_time' });
          } catch (err) {
            // over the rate limit: wait a second and ask for the same page (the activity's retry would start the sweep over)
            if (err instanceof YahooApiError && err.httpStatus === 403 && err.retryable && attempt < 10) {
              counts.rateLimited += 1;
              ctx.heartbeat(progress);
              await ctx.sleep(1000);
              continue;
            }
            throw toFailure(err);
          }
        }
      }

      async function touch(recipe: 1 | 2, o: YahooListedOrder) {
        const orderId = o.OrderId!;
        const deadline = instant(o.PayMethodChangeDeadline);
        const sighting: OrderSighting = { settleStatus: o.SettleStatus ?? '', changePossible: o.IsPayMethodChangePossible === 'true', deadline, recipe };
        const options = {
          workflowId: yahooPayMethodWindowWorkflowId(i.shopId, orderId), taskQueue,
          args: [{ shopId: i.shopId, orderId, deadline, sighting }],
          // a closed window stays closed: a later sweep that still lists the order changes nothing
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          typedSearchAttributes: [
            { key: SHOP_ID, value: i.shopId }, { key: ORDER_ID, value: orderId }, { key: YAHOO_WINDOW_STATUS, value: WINDOW_STATUS.waiting },
            ...(deadline ? [{ key: PAY_METHOD_CHANGE_DEADLINE, value: new Date(deadline) }] : []),
          ],
        };
        try {
          if (recipe === 1) {
            await temporal.workflow.start(WORKFLOW_TYPE, options);
            counts.started += 1;
          } else {
            await temporal.workflow.signalWithStart(WORKFLOW_TYPE, { ...options, signal: orderSeenSignal, signalArgs: [sighting] });
            counts.signalled += 1;
          }
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
          counts.skipped += 1;
        }
      }

      for (; progress.recipe <= 2; progress.recipe = (progress.recipe + 1) as 1 | 2, progress.start = 1) {
        const recipe = progress.recipe;
        for (;;) {
          const { totalCount, orders } = await page(recipe, progress.start);
          counts.pages += 1;
          counts.listed += orders.length;
          const known = await windowStatuses(deps.db, i.shopId, orders.map((o) => o.OrderId!).filter(Boolean));
          const todo = orders.filter((o) => {
            if (!o.OrderId) return false;
            const status = known.get(o.OrderId);
            const act = recipe === 1 ? status === undefined : status === undefined || status === WINDOW_STATUS.waiting;
            if (!act) counts.skipped += 1;
            return act;
          });
          for (let k = 0; k < todo.length; k += sweep.parallel) {
            await Promise.all(todo.slice(k, k + sweep.parallel).map((o) => touch(recipe, o)));
            ctx.heartbeat(progress);
          }
          progress.start += size;
          ctx.heartbeat(progress);
          if (orders.length < size || progress.start > totalCount) break;
        }
      }
      return counts;
    },
  };
}

export type YahooWindowActivities = ReturnType<typeof createYahooWindowActivities>;

/** Yahoo's errors: transport trouble and the rate limit retry (Temporal's policy); anything else stops with Yahoo's reason. */
function toFailure(err: unknown): unknown {
  if (!(err instanceof YahooApiError)) return err;
  return ApplicationFailure.create({
    message: err.message,
    type: err.retryable ? 'YahooTransient' : `Yahoo:${err.code ?? err.httpStatus ?? 'error'}`,
    nonRetryable: !err.retryable,
    details: [{ httpStatus: err.httpStatus ?? null, code: err.code ?? null }],
  });
}
