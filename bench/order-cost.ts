import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { historyBytes } from './history-stats';

const E = temporal.api.enums.v1.EventType;

/** Temporal Cloud's billed actions, by the columns of the process table. */
export const ACTION_KINDS = ['starts', 'activities', 'timers', 'signals', 'updates', 'upserts', 'children'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export interface OrderCost {
  actions: Record<ActionKind, number>;
  total: number;
  events: number;
  bytes: number;
}

/**
 * What one order cost, counted from the histories of every workflow it ran, the way Temporal Cloud bills it
 * (shared/specs/temporal-performance-reliability.md, docs.temporal.io/cloud/actions): a start or continue-as-new 1;
 * an activity 1 and each retry 1; local activities 1 per workflow task that ran any; a timer 1 (also a
 * `condition` with a timeout); a signal 1 (counted where it is received, or where it is sent to a workflow outside the
 * order; a signal-with-start's signal is in its start); an accepted update 1; a search-attribute upsert 1; a child workflow 2 (its own start is not counted again).
 * Patch markers (`patched()`) are free; queries are not in a history and the bench sends none.
 */
export function costOf(histories: temporal.api.history.v1.IHistory[], workflowIds: Set<string>): OrderCost {
  const a = Object.fromEntries(ACTION_KINDS.map((k) => [k, 0])) as Record<ActionKind, number>;
  let events = 0;
  let bytes = 0;
  for (const history of histories) {
    bytes += historyBytes(history);
    const localTasks = new Set<string>();
    for (const ev of history.events ?? []) {
      events += 1;
      switch (ev.eventType) {
        case E.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
          if (!ev.workflowExecutionStartedEventAttributes?.parentWorkflowExecution) a.starts += 1;
          break;
        case E.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW: break; // the next run's start counts it
        case E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: a.activities += 1; break;
        case E.EVENT_TYPE_ACTIVITY_TASK_STARTED: a.activities += Math.max(0, (ev.activityTaskStartedEventAttributes?.attempt ?? 1) - 1); break;
        case E.EVENT_TYPE_MARKER_RECORDED:
          if (ev.markerRecordedEventAttributes?.markerName === 'core_local_activity') {
            localTasks.add(String(ev.markerRecordedEventAttributes.workflowTaskCompletedEventId));
          }
          break;
        case E.EVENT_TYPE_TIMER_STARTED: a.timers += 1; break;
        // a signal-with-start's signal (event 2, before the first workflow task) is part of its one start action
        case E.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED: if (String(ev.eventId) !== '2') a.signals += 1; break;
        case E.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED: {
          const target = ev.signalExternalWorkflowExecutionInitiatedEventAttributes?.workflowExecution?.workflowId;
          if (!target || !workflowIds.has(target)) a.signals += 1;
          break;
        }
        case E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED: a.updates += 1; break;
        case E.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: a.upserts += 1; break;
        case E.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED: a.children += 2; break;
        default: break;
      }
    }
    a.activities += localTasks.size;
  }
  return { actions: a, total: Object.values(a).reduce((x, y) => x + y, 0), events, bytes };
}

/** The mean cost of `orders`, each given as the handles of the workflows it ran (fetched one at a time, untimed). */
export async function meanCost(orders: WorkflowHandle[][]): Promise<OrderCost> {
  const sum: OrderCost = { actions: Object.fromEntries(ACTION_KINDS.map((k) => [k, 0])) as Record<ActionKind, number>, total: 0, events: 0, bytes: 0 };
  for (const handles of orders) {
    const histories = [];
    for (const h of handles) histories.push(await h.fetchHistory());
    const c = costOf(histories, new Set(handles.map((h) => h.workflowId)));
    for (const k of ACTION_KINDS) sum.actions[k] += c.actions[k];
    sum.total += c.total;
    sum.events += c.events;
    sum.bytes += c.bytes;
  }
  const n = Math.max(orders.length, 1);
  return {
    actions: Object.fromEntries(ACTION_KINDS.map((k) => [k, sum.actions[k] / n])) as Record<ActionKind, number>,
    total: sum.total / n, events: sum.events / n, bytes: sum.bytes / n,
  };
}

/** One order's histories as their event types in order (activity types and search-attribute keys named), to explain its cost. */
export async function historyOutline(handles: WorkflowHandle[]): Promise<string> {
  const names = Object.fromEntries(Object.entries(E).map(([k, v]) => [v, k.replace(/^EVENT_TYPE_/, '')]));
  const lines: string[] = [];
  for (const h of handles) {
    const events = (await h.fetchHistory()).events ?? [];
    lines.push(`${h.workflowId}: ${events.map((ev) => {
      const name = names[ev.eventType ?? 0] ?? String(ev.eventType);
      const detail = ev.activityTaskScheduledEventAttributes?.activityType?.name
        ?? Object.keys(ev.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}).join('+')
        ?? '';
      return detail ? `${name}(${detail})` : name;
    }).filter((n) => !n.startsWith('WORKFLOW_TASK')).join(' ')}`);
  }
  return lines.join('\n');
}
