import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const EventType = temporal.api.enums.v1.EventType;

/** The history events Temporal (Cloud) bills as actions; what a workflow costs to run, whatever machine it runs on. */
export const ACTION_EVENTS = {
  WORKFLOW_EXECUTION_STARTED: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
  ACTIVITY_TASK_SCHEDULED: EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
  TIMER_STARTED: EventType.EVENT_TYPE_TIMER_STARTED,
  WORKFLOW_EXECUTION_SIGNALED: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
  WORKFLOW_EXECUTION_UPDATE_ACCEPTED: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
  UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
  MARKER_RECORDED: EventType.EVENT_TYPE_MARKER_RECORDED,
} as const;
export type ActionEvent = keyof typeof ACTION_EVENTS;

export interface HistoryStats {
  sampled: number;
  /** mean per workflow, by billed event type */
  actionsByType: Record<ActionEvent, number>;
  actions: number;
  events: number;
  bytes: number;
  /** activity attempts beyond the first (also billed, but not history events of their own) */
  retries: number;
}

/** Means over the histories of `handles`, fetched one at a time (after the timed phase, so it costs nothing there). */
export async function historyStats(handles: WorkflowHandle[]): Promise<HistoryStats> {
  const byType = Object.fromEntries(Object.keys(ACTION_EVENTS).map((k) => [k, 0])) as Record<ActionEvent, number>;
  const byCode = new Map<number, ActionEvent>(Object.entries(ACTION_EVENTS).map(([k, v]) => [v, k as ActionEvent]));
  let events = 0;
  let bytes = 0;
  let retries = 0;
  for (const handle of handles) {
    const history = await handle.fetchHistory();
    bytes += temporal.api.history.v1.History.encode(history).finish().length;
    for (const event of history.events ?? []) {
      events += 1;
      const type = byCode.get(event.eventType ?? -1);
      if (type) byType[type] += 1;
      const attempt = event.activityTaskStartedEventAttributes?.attempt ?? 1;
      if (attempt > 1) retries += attempt - 1;
    }
  }
  const n = handles.length;
  const actionsByType = Object.fromEntries(Object.entries(byType).map(([k, v]) => [k, v / n])) as Record<ActionEvent, number>;
  return {
    sampled: n,
    actionsByType,
    actions: Object.values(actionsByType).reduce((a, b) => a + b, 0),
    events: events / n,
    bytes: bytes / n,
    retries: retries / n,
  };
}

/** Up to `count` items spread evenly over `items` (early, middle and late workflows alike). */
export function spread<T>(items: T[], count: number): T[] {
  const k = Math.min(count, items.length);
  return Array.from({ length: k }, (_, j) => items[Math.floor((j * items.length) / k)]!);
}

/** A history's size as the server stores and sends it: its protobuf encoding. */
export function historyBytes(history: temporal.api.history.v1.IHistory): number {
  return temporal.api.history.v1.History.encode(history).finish().length;
}
