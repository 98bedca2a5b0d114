/**
 * Measurement 1: IPN-to-outbox latency. A pending Amazon Pay authorization resolved at the sandbox makes it POST a
 * signed IPN to the real API, which verifies it and signals the workflow, which reads the charge and writes the
 * order's order_outbox row. Timed from the control-plane call to the poll that first sees the row, against a plain
 * HTTP round trip on this machine in this run.
 */
import type { Pool } from 'pg';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { AuthorizationResult } from '../workflows/amazon-pay-authorization';
import { PAYMENT_STATUS } from '../workflows/amazon-pay-review';
import { amazonPayAuthorizationWorkflowId } from '../workflows/workflow-ids';
import { SHOP_ID } from '../tests/support/au-pay-fixtures';
import type { TestSandbox } from '../tests/support/sandbox';
import { harvestDeliveries, type DeliverySummary } from './ipn-deliveries';
import { startIpnRig, WARMUP, type PreparedOrder } from './ipn-rig';
import { percentile, runPhase, type PhaseResult } from './run-phase';

export interface IpnLatencyOptions {
  ipns: number;
  concurrency: number;
}

/** One query for the whole in-flight set, this often. */
const POLL_MS = 5;
/** An order whose row has not appeared by then counts as failed (the workflow's own check is an hour away). */
const OUTBOX_TIMEOUT_MS = 30_000;

interface Latency {
  /** t0 → the poll that saw the row */
  seen: number;
  /** t0 → the row's created_at (wall clocks, ms resolution) */
  written: number;
}

export async function ipnLatencyBench(o: IpnLatencyOptions): Promise<string[]> {
  // The API as is (nothing timed around it); a longer quiet wait after each preparation.
  const rig = await startIpnRig({ pollMs: POLL_MS, timeApi: false, settleMs: 2000 });
  try {
    const { sandbox, outbox, get, apiUrl: api, plainUrl } = rig;
    const prepare = (tag: string, n: number) => rig.prepare(tag, n, o.concurrency, (done) => {
      if (n >= 100 && (done % 100 === 0 || done === n)) console.log(`  prepared ${done}/${n}`);
    });
    /** t0: the control-plane call; t1: the first poll that sees the order's outbox row (and, besides, the row's created_at). */
    const resolveAll = (orders: PreparedOrder[]) => runPhase(orders.length, o.concurrency, async (i): Promise<Latency | undefined> => {
      const t0 = performance.now();
      const t0Wall = Date.now();
      const seen = await rig.resolveAndSee(orders[i]!, OUTBOX_TIMEOUT_MS);
      return seen && { seen: seen.seenAt - t0, written: seen.writtenAt - t0Wall };
    });

    console.log(`preparing ${WARMUP} warm-up orders ...`);
    const warm = await resolveAll(await prepare('W', WARMUP));
    if (warm.results.some((r) => r === undefined)) return [`warm-up: ${warm.results.filter((r) => r === undefined).length}/${WARMUP} outbox rows never appeared`];
    await runPhase(WARMUP, o.concurrency, () => get(plainUrl));
    await runPhase(WARMUP, o.concurrency, () => get(`${api}/health`));

    console.log(`preparing ${o.ipns} orders (authorization pending at Amazon), ${o.concurrency} at a time ...`);
    const prepStarted = performance.now();
    const orders = await prepare('A', o.ipns);
    console.log(`prepared in ${((performance.now() - prepStarted) / 1000).toFixed(1)} s`);

    console.log(`measured: ${o.ipns} IPNs, ${o.concurrency} in flight ...`);
    const harvest = harvestDeliveries(sandbox.amazonPayIpn);
    const pollsBefore = outbox.polls;
    const ipn = await resolveAll(orders);
    const polls = { count: outbox.polls - pollsBefore, meanCycleMs: ipn.wallMs / (outbox.polls - pollsBefore) };
    await sandbox.amazonPayIpn.flush();
    const deliveries = harvest.stop();

    console.log(`baseline: ${o.ipns} plain HTTP round trips, then ${o.ipns} GET /health, ${o.concurrency} in flight ...`);
    const base = await runPhase(o.ipns, o.concurrency, () => get(plainUrl));
    const health = await runPhase(o.ipns, o.concurrency, () => get(`${api}/health`));

    const problems = await verify(rig.env, rig.observerPool, orders, ipn, deliveries, o.concurrency);
    if (problems.length) return problems;
    printIpnResults(o, ipn as PhaseResult<Latency>, base, health, deliveries, polls, sandbox);
    return [];
  } finally {
    await rig.stop();
  }
}

/** Every row seen in time; every workflow ended 審査完了; each order stored 審査完了 with exactly one outbox row. */
async function verify(
  env: TestWorkflowEnvironment, pool: Pool, orders: PreparedOrder[], ipn: PhaseResult<Latency | undefined>, deliveries: DeliverySummary, concurrency: number,
): Promise<string[]> {
  const problems: string[] = [];
  const n = orders.length;
  const missed = ipn.results.map((r, i) => (r === undefined ? orders[i]!.orderId : undefined)).filter((id) => id !== undefined);
  if (missed.length) problems.push(`${missed.length}/${n} outbox rows did not appear within ${OUTBOX_TIMEOUT_MS} ms, e.g. ${missed[0]}`);
  if (deliveries.failures.length) problems.push(`IPN deliveries failed, e.g. ${deliveries.failures.join('; ')}`);

  const ended = await runPhase(n, concurrency, (i) =>
    env.client.workflow.getHandle(amazonPayAuthorizationWorkflowId(SHOP_ID, orders[i]!.orderId)).result() as Promise<AuthorizationResult>);
  const notReviewed = ended.results.map((r, i) => ({ r, i })).filter(({ r }) => r.paymentStatus !== PAYMENT_STATUS.reviewed);
  if (notReviewed.length) {
    problems.push(`${notReviewed.length}/${n} workflows ended otherwise, e.g. ${orders[notReviewed[0]!.i]!.orderId}: ${JSON.stringify(notReviewed[0]!.r)}`);
  }
  const { rows } = await pool.query<{ orderId: string; paymentStatus: string; outbox: number; authorized: number }>(
    `SELECT o.order_id AS "orderId", o.payment_status AS "paymentStatus",
            count(x.id)::int AS outbox, count(x.id) FILTER (WHERE x.event = 'amazon-pay.authorized')::int AS authorized
       FROM amazon_pay_orders o LEFT JOIN order_outbox x ON x.shop_id = o.shop_id AND x.order_id = o.order_id
      WHERE o.shop_id = $1 AND o.order_id = ANY($2) GROUP BY o.order_id, o.payment_status`,
    [SHOP_ID, orders.map((x) => x.orderId)],
  );
  if (rows.length !== n) problems.push(`database: ${rows.length}/${n} orders found`);
  const wrong = rows.filter((r) => r.paymentStatus !== PAYMENT_STATUS.reviewed || r.outbox !== 1 || r.authorized !== 1);
  if (wrong.length) problems.push(`database: ${wrong.length}/${n} orders not ${PAYMENT_STATUS.reviewed} with exactly one amazon-pay.authorized outbox row, e.g. ${JSON.stringify(wrong[0])}`);
  return problems;
}

function printIpnResults(
  o: IpnLatencyOptions, ipn: PhaseResult<Latency>, base: PhaseResult<unknown>, health: PhaseResult<unknown>,
  d: DeliverySummary, polls: { count: number; meanCycleMs: number }, sandbox: TestSandbox,
) {
  const rate = (p: PhaseResult<unknown>) => p.results.length / (p.wallMs / 1000);
  const basePct = { 50: percentile(base.latencies, 50), 99: percentile(base.latencies, 99) };
  const series: Array<[string, number[], number]> = [
    ['IPN → outbox row seen (poll)', ipn.results.map((r) => r.seen), rate(ipn)],
    ['IPN → outbox row written (created_at)', ipn.results.map((r) => r.written), rate(ipn)],
    ['plain HTTP round trip (baseline)', base.latencies, rate(base)],
    ['GET /health (API: PostgreSQL + Temporal)', health.latencies, rate(health)],
  ];
  const width = Math.max(...series.map((r) => r[0].length));
  const cell = (s: string, w = 11) => s.padStart(w);
  const ratio = (x: number, y: number) => (y === 0 ? 'n/a' : `${(x / y).toFixed(1)}x`);
  console.log(`\n1. IPN-to-outbox latency: ${o.ipns} IPNs, ${o.concurrency} in flight, ${WARMUP} warm-up runs of each kind`);
  console.log(`${''.padEnd(width)} ${cell('p50 (ms)')} ${cell('p99 (ms)')} ${cell('p50/plain')} ${cell('p99/plain')} ${cell('per second')} ${cell('wall (s)')}`);
  const walls = [ipn.wallMs, ipn.wallMs, base.wallMs, health.wallMs];
  series.forEach(([label, values, perSecond], i) => {
    const p50 = percentile(values, 50);
    const p99 = percentile(values, 99);
    console.log(`${label.padEnd(width)} ${cell(p50.toFixed(2))} ${cell(p99.toFixed(2))} ${cell(ratio(p50, basePct[50]))} ${cell(ratio(p99, basePct[99]))} `
      + `${cell(perSecond.toFixed(0))} ${cell((walls[i]! / 1000).toFixed(2))}`);
  });
  const fmt = (r: Record<string, number>) => Object.entries(r).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  console.log(`IPN deliveries in the measured part: ${d.entries} log entries (${fmt(d.byOutcome)}); delivered by HTTP status: ${fmt(d.deliveredStatus)}; `
    + `failures: ${d.failures.length ? d.failures.join('; ') : '0'}; lost from the log before read: ${d.lost}`);
  const all = sandbox.amazonPayIpn.deliveries();
  console.log(`IPN sender log at the end (its last ${all.length} entries, warm-up and preparation included): `
    + `${all.filter((x) => x.outcome === 'delivered').length} delivered, ${all.filter((x) => x.outcome === 'failed' || x.outcome === 'error').length} failed`);
  console.log(`t0 = the control-plane resolve call; seen = the first poll of order_outbox that has the row (one query for the in-flight set, ${POLL_MS} ms apart: `
    + `${polls.count} polls, one every ${polls.meanCycleMs.toFixed(1)} ms on average, the query included); written = the row's created_at`);
  console.log('plain HTTP = GET of a trivial express route on a fresh server in this process; GET /health = the API\'s own route');
}
