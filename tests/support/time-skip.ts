import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Duration } from '@temporalio/common';
import { tsToMs } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';
import { until } from './until';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
interface Watched { fetchHistory(): Promise<{ events?: HistoryEvent[] | null }> }

/** How close (in the server's time) a timer may be due when a test sends the workflow a message. */
const TIMER_GUARD_MS = 60_000;

/**
 * True when the workflow has nothing in flight: no workflow task scheduled or started, no activity open. A query can
 * answer from the worker's state before the task that got it there completes, so "the query says X" is not enough.
 */
export async function settled(handle: Watched): Promise<boolean> {
  const events = (await handle.fetchHistory()).events ?? [];
  const last = events[events.length - 1];
  if (last === undefined || last.workflowTaskScheduledEventAttributes || last.workflowTaskStartedEventAttributes) return false;
  return openActivities(events) === 0;
}

/**
 * `env.sleep`, then on past any of the workflow's timers due within a minute of where the skip landed, each time waiting
 * until the workflow is settled. A message sent right after a skip races the next periodic timer: the skip lands a few
 * milliseconds before it (each timer starts a little after the previous one fired), and a workflow task that cancels a
 * timer which fired while the task was with the worker is refused by the time-skipping server ("invalid history builder
 * state for action", temporalio/sdk-java#3088) and never retried: the run hangs. Use it before a signal or an update.
 */
export async function sleepClearOfTimers(env: TestWorkflowEnvironment, handle: Watched, duration: Duration): Promise<void> {
  await env.sleep(duration);
  for (;;) {
    await until(() => settled(handle), 20_000, 20);
    const events = (await handle.fetchHistory()).events ?? [];
    const due = nextTimerDue(events);
    const now = await env.currentTimeMs();
    if (due === undefined || due - now > TIMER_GUARD_MS) return;
    await env.sleep(Math.max(due - now, 0) + 1_000);
  }
}

function openActivities(events: HistoryEvent[]): number {
  const open = new Set<string>();
  for (const e of events) {
    if (e.activityTaskScheduledEventAttributes) open.add(String(e.eventId));
    const closed = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes
      ?? e.activityTaskTimedOutEventAttributes ?? e.activityTaskCanceledEventAttributes;
    if (closed) open.delete(String(closed.scheduledEventId));
  }
  return open.size;
}

/** When the earliest timer still open is due (server time, ms), or undefined when none is. */
function nextTimerDue(events: HistoryEvent[]): number | undefined {
  const open = new Map<string, number>();
  for (const e of events) {
    const started = e.timerStartedEventAttributes;
    if (started) open.set(String(e.eventId), tsToMs(e.eventTime) + tsToMs(started.startToFireTimeout));
    const ended = e.timerFiredEventAttributes ?? e.timerCanceledEventAttributes;
    if (ended) open.delete(String(ended.startedEventId));
  }
  return open.size === 0 ? undefined : Math.min(...open.values());
}
