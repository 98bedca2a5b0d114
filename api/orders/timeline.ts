import type { RequestHandler } from 'express';
import { ATTENTION_PROCESSES } from '../../db/attention';
import { listOrders, type OrderListItem } from '../../db/order-lists';
import { orderTimelineEvents, type TimelineEvent } from '../../db/order-timeline';
import { HttpError } from '../http-error';
import { orderParams } from './schemas';
import type { ApiDeps } from '../app';
import { DEFAULT_URLS } from '../../common/local-urls';

/** The dev server's Web UI, where `npm start` runs it; a deployment sets TEMPORAL_UI_URL. */
export const DEFAULT_TEMPORAL_UI_URL = DEFAULT_URLS.TEMPORAL_UI_URL;

/** The order's current status in each process that knows it; the order's own row does not repeat them as events. */
const STATUS_DETAIL: Partial<Record<OrderListItem['process'], (f: OrderListItem['fields']) => unknown>> = {
  'au-pay': (f) => f.lastError,
  oplux: (f) => f.errorMessage ?? f.ruleDescription,
  yahoo: (f) => f.lastError,
  cancel: (f) => f.providerDetail,
  'amazon-pay': (f) => f.lastError,
  'amazon-pay-recurring': (f) => f.interval,
};

function statusEvent(p: OrderListItem): TimelineEvent | undefined {
  const detailOf = STATUS_DETAIL[p.process];
  if (!detailOf) return undefined; // order data OUT and amount changes: every step is an event of its own already
  const detail = detailOf(p.fields);
  return { at: p.since, process: p.process, kind: 'status', title: p.status, detail: detail == null ? null : String(detail), outcome: null, actor: null };
}

/**
 * GET /shops/:shopId/orders/:orderId/timeline: the order's processes (with their workflow in the Temporal Web UI) and
 * everything renkei did for it, oldest first. 404 when no process knows the order.
 */
export function orderTimeline(deps: ApiDeps): RequestHandler {
  const ui = (deps.temporalUiUrl ?? DEFAULT_TEMPORAL_UI_URL).replace(/\/+$/, '');
  return async (req, res) => {
    const namespace = encodeURIComponent(deps.temporal.options.namespace);
    const { shopId, orderId } = orderParams.parse(req.params);
    const [rows, recorded] = await Promise.all([
      Promise.all(ATTENTION_PROCESSES.map((process) => listOrders(deps.db, { shopId, process, orderId, limit: 1 }))),
      orderTimelineEvents(deps.db, shopId, orderId),
    ]);
    const processes = rows.flatMap((r) => r.rows);
    // an operator's refused call names an order too; only a process's own record makes the order known
    if (processes.length === 0 && recorded.every((e) => e.kind === 'operator')) throw new HttpError(404, 'no process knows this order');
    const seen = new Set(recorded.map((e) => `${e.at} ${e.process} ${e.kind} ${e.title}`));
    const current = processes.map(statusEvent).filter((e): e is TimelineEvent => !!e && !seen.has(`${e.at} ${e.process} ${e.kind} ${e.title}`));
    // stable: events at one instant keep the order the statement gave them, the current statuses after them
    const events = [...recorded, ...current].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    res.json({
      shopId, orderId,
      processes: processes.map((p) => ({
        process: p.process, workflowId: p.workflowId, status: p.status, since: p.since,
        webUiUrl: `${ui}/namespaces/${namespace}/workflows/${encodeURIComponent(p.workflowId)}`,
      })),
      events,
    });
  };
}
