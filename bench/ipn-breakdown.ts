/**
 * Where an IPN's time goes, from the moment it was due to the poll that saw its order data OUT row: the API's own
 * points (timed around it by bench/ipn-rig.ts), then the workflow's history events after the signal (the server's
 * clock: this machine's), the row's created_at and the poll. Each milestone as an offset from the IPN being due, p50
 * and p99 over the orders; "step" is the median of each order's own gap from the milestone before.
 */
import { temporal } from '@temporalio/proto';
import { tsToMs } from '@temporalio/common/lib/time';
import type { Client } from '@temporalio/client';
import { amazonPayAuthorizationWorkflowId } from '../workflows/workflow-ids';
import { SHOP_ID } from '../tests/support/au-pay-fixtures';
import type { ActivityTiming, IpnTiming, PreparedOrder, SignalTiming } from './ipn-rig';
import { percentile } from './run-phase';

const EventType = temporal.api.enums.v1.EventType;
const SIGNALED = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED;

export interface MeasuredIpn {
  order: PreparedOrder;
  /** performance.now() when the IPN was due (the control-plane resolve call) */
  due: number;
  /** the row's created_at, epoch ms; the poll that saw it, performance.now() */
  writtenAt?: number;
  seenAt?: number;
}

/** Milestone → offset from due (ms), for one IPN; in the order they happened. */
type Milestones = Array<[string, number]>;

export async function ipnBreakdown(
  client: Client, ipns: MeasuredIpn[], ipnTimings: Map<string, IpnTiming>, signalTimings: Map<string, SignalTiming[]>,
  activityTimings: Map<string, ActivityTiming[]>,
): Promise<string[]> {
  // Each charge's deliveries (a retry of a slow one is another POST, same charge): the first after its IPN was due counts.
  const byCharge = new Map<string, IpnTiming[]>();
  for (const t of ipnTimings.values()) if (t.objectId) byCharge.set(t.objectId, [...(byCharge.get(t.objectId) ?? []), t]);
  const all: Milestones[] = [];
  for (const m of ipns) {
    if (m.seenAt === undefined || m.writtenAt === undefined) continue;
    const wall = (perf: number) => performance.timeOrigin + perf;
    const dueWall = wall(m.due);
    const points: Milestones = [];
    const api = (byCharge.get(m.order.chargeId) ?? []).filter((t) => t.received >= m.due).sort((a, b) => a.received - b.received)[0];
    const rel = (perf: number | undefined, label: string) => perf !== undefined && perf >= m.due && points.push([label, perf - m.due]);
    rel(api?.received, 'API: IPN received');
    rel(api?.verified, 'API: SNS signature verified');
    const workflowId = amazonPayAuthorizationWorkflowId(SHOP_ID, m.order.orderId);
    const sig = (signalTimings.get(workflowId) ?? []).find((x) => x.started >= m.due);
    rel(sig?.started, 'API: signal sent');
    rel(sig?.returned, 'API: signal returned');
    rel(api?.answered, 'API: 200 answered');
    for (const a of (activityTimings.get(workflowId) ?? []).filter((x) => x.started >= m.due)) {
      rel(a.started, `worker: ${a.type} started`);
      rel(a.ended, `worker: ${a.type} ended`);
    }

    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const events = history.events ?? [];
    // the first signal after the IPN was due (the charge's creation IPN may have signalled it before)
    const signalIdx = events.findIndex((e) => e.eventType === SIGNALED && tsToMs(e.eventTime) >= dueWall - 1);
    if (signalIdx < 0) continue;
    const activityOf = new Map<string, string>();
    const seen = new Map<string, number>();
    for (const e of events.slice(signalIdx)) {
      let name = (EventType[e.eventType ?? 0] ?? '?').replace(/^EVENT_TYPE_/, '').toLowerCase();
      const scheduled = e.activityTaskScheduledEventAttributes;
      if (scheduled) activityOf.set(String(e.eventId), scheduled.activityType?.name ?? '?');
      const of = e.activityTaskStartedEventAttributes?.scheduledEventId ?? e.activityTaskCompletedEventAttributes?.scheduledEventId;
      if (scheduled) name += ` ${scheduled.activityType?.name}`;
      else if (of != null) name += ` ${activityOf.get(String(of)) ?? '?'}`;
      if (e.markerRecordedEventAttributes) name += ` ${e.markerRecordedEventAttributes.markerName}`;
      const nth = (seen.get(name) ?? 0) + 1;
      seen.set(name, nth);
      points.push([`history: ${name}${nth > 1 ? ` #${nth}` : ''}`, tsToMs(e.eventTime) - dueWall]);
    }
    points.push(['DB: order_outbox row created_at', m.writtenAt - dueWall]);
    points.push(['bench: poll saw the row', m.seenAt - m.due]);
    points.sort((a, b) => a[1] - b[1]);
    all.push(points);
  }
  if (!all.length) return ['(no IPN to break down)'];

  // Milestones in their usual order: by median offset; each order's gap from its own previous milestone.
  const offsets = new Map<string, number[]>();
  const steps = new Map<string, number[]>();
  for (const points of all) {
    points.forEach(([label, at], i) => {
      offsets.set(label, [...(offsets.get(label) ?? []), at]);
      steps.set(label, [...(steps.get(label) ?? []), i === 0 ? at : at - points[i - 1]![1]]);
    });
  }
  const rows = [...offsets.entries()].filter(([, v]) => v.length >= all.length / 2).sort((a, b) => percentile(a[1], 50) - percentile(b[1], 50));
  const width = Math.max(...rows.map(([l]) => l.length));
  const lines = [`${'milestone (ms from the IPN being due)'.padEnd(width)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'step p50'.padStart(9)}   (${all.length} IPNs)`];
  for (const [label, v] of rows) {
    lines.push(`${label.padEnd(width)} ${percentile(v, 50).toFixed(1).padStart(8)} ${percentile(v, 99).toFixed(1).padStart(8)} ${percentile(steps.get(label)!, 50).toFixed(1).padStart(9)}`);
  }
  return lines;
}
