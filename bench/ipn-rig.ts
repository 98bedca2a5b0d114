/**
 * The IPN path on one machine, for the IPN benchmarks: the Temporal dev server and PGlite in their own processes (as
 * npm start runs them; bench-database.ts), and in this process the sandbox, the real API (trusting the sandbox's SNS
 * certificate) and one renkei worker; an order made to wait for Amazon's answer (prepare), and pollers that see its rows. The API is wrapped, not changed, to time each IPN on its way
 * through: received, SNS signature verified, signal returned, answered.
 */
import type { Server } from 'node:http';
import express from 'express';
import type { Pool } from 'pg';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Context } from '@temporalio/activity';
import type { ActivityInboundCallsInterceptor } from '@temporalio/worker';
import { createSnsVerifier, hostPatternPolicy, parseAmazonPayIpnMessage, type SnsVerifier } from '../amazon-pay/sns/sns-verifier';
import { createApiApp } from '../api/app';
import { createPool } from '../db/pool';
import { createRenkeiWorker } from '../workers/create-worker';
import { ensureWorkflowBundle } from '../workers/workflow-bundle';
import { activityDeps, NOTIFY_EMAIL, SHOP_ID } from '../tests/support/au-pay-fixtures';
import { AMAZON_KEY_ID, amazonPayTestClient, mintChargePermission, registerTestKey, writeTestKeyFile } from '../tests/support/amazon-pay-fixtures';
import { startDevServer } from '../tests/support/dev-server';
import { startWorkerProcess } from '../tests/support/worker-process';
import { startBenchDatabase } from './bench-database';
import { startTestSandbox, type TestSandbox } from '../tests/support/sandbox';
import { SANDBOX_IPN_ACCOUNT } from '../tests/support/test-api';
import { runPhase } from './run-phase';
import { SetPoller } from './set-poller';
import { BENCH_BUNDLE_PATH } from './worker-bench-world';

const API_TOKEN = 'bench-api-token-0123456789abcdef';
const TASK_QUEUE = 'bench-amazon-pay';
const CHARGE_TIMEOUT_MS = 60_000;
/** Orders taken through the whole path first, untimed, by each IPN bench; and as many baseline calls. */
export const WARMUP = 20;

/** One IPN through the API, performance.now() at each point; keyed by its SNS MessageId. */
export interface IpnTiming {
  received: number;
  verifyStarted?: number;
  verified?: number;
  /** the charge the message names */
  objectId?: string;
  answered?: number;
}

export interface SignalTiming {
  started: number;
  returned: number;
}

/** One activity run by the worker (a local one too): its type and when it started and ended, performance.now(). */
export interface ActivityTiming {
  type: string;
  started: number;
  ended: number;
}

export interface PreparedOrder {
  orderId: string;
  chargeId: string;
}

export interface IpnRig {
  env: TestWorkflowEnvironment;
  /** the dev server's host:port */
  address: string;
  sandbox: TestSandbox;
  /** the bench's own pool, of one: it never competes with the API's or the worker's */
  observerPool: Pool;
  apiUrl: string;
  /** GET /ping of a trivial express route on its own server in this process: the plain HTTP baseline */
  plainUrl: string;
  /** GET, the body read; throws on a non-2xx */
  get(url: string): Promise<void>;
  /** the order's first order_outbox row: its created_at in epoch ms, as text */
  outbox: SetPoller<string>;
  ipnTimings: Map<string, IpnTiming>;
  /** signal() calls the API made, by workflow id: each one's start and return */
  signalTimings: Map<string, SignalTiming[]>;
  /** activities the worker ran, by workflow id (timed with the API) */
  activityTimings: Map<string, ActivityTiming[]>;
  /**
   * N orders waiting for Amazon's answer: a OneTime permission, a pending createCharge, the authorization started.
   * onPrepared: after each order, with how many are ready.
   */
  prepare(tag: string, n: number, concurrency: number, onPrepared?: (done: number) => void): Promise<PreparedOrder[]>;
  /** The charge resolved at the sandbox (its IPN sent), then the poll that first sees the order's outbox row, if in time. */
  resolveAndSee(order: PreparedOrder, timeoutMs: number): Promise<{ seenAt: number; writtenAt: number } | undefined>;
  stop(): Promise<void>;
}

export interface IpnRigOptions {
  /** the in-process worker's bundle (the worker process loads BENCH_BUNDLE_PATH) */
  workflowBundle?: { code: string };
  /**
   * 'process' (the default): the worker is workers/main.ts in its own process, as npm start runs it (its bundle:
   * BENCH_BUNDLE_PATH); its activities are not timed. 'in-process': a worker in this process, beside the API and the
   * sandbox, sharing their event loop, its activities timed (activityTimings).
   */
  worker?: 'process' | 'in-process';
  /** the outbox poller's period */
  pollMs: number;
  /** false: the API as is, nothing timed around it (ipnTimings and signalTimings stay empty); default true */
  timeApi?: boolean;
  /** the quiet wait after prepare's orders, for their creation IPNs' work to end; default 1000 */
  settleMs?: number;
}

export async function startIpnRig(o: IpnRigOptions): Promise<IpnRig> {
  const timeApi = o.timeApi ?? true;
  const cleanups: Array<() => Promise<unknown>> = [];
  const later = (f: () => Promise<unknown>) => cleanups.push(f);
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err: Error) => console.error(`cleanup: ${err.message}`));
  };
  try {
    const { env, address } = await startDevServer();
    later(() => env.teardown());
    const [db, sandbox] = await Promise.all([startBenchDatabase(), startTestSandbox()]);
    later(() => db.stop());
    later(() => sandbox.stop());
    // Like production, the API and the worker each have their own pool.
    const apiPool = createPool(db.url);
    const observerPool = createPool(db.url, 1);
    later(() => Promise.all([apiPool.end(), observerPool.end()]));

    const ipnTimings = new Map<string, IpnTiming>();
    const signalTimings = new Map<string, SignalTiming[]>();
    const verifier = createSnsVerifier({ allowCertUrl: hostPatternPolicy(/^127\.0\.0\.1$/, { allowHttp: true }) });
    const app = createApiApp({
      temporal: timeApi ? timedSignals(env.client, signalTimings) : env.client, db: apiPool, apiToken: API_TOKEN, taskQueue: TASK_QUEUE, isKnownShop: (s) => s === SHOP_ID,
      ipnVerifier: timeApi ? timedVerifier(verifier, ipnTimings) : verifier,
      amazonPayIpnAccount: async () => SANDBOX_IPN_ACCOUNT,
    });
    const outer = express();
    outer.use((req, res, next) => {
      const id = req.headers['x-amz-sns-message-id'];
      if (typeof id === 'string') {
        const t: IpnTiming = { received: performance.now() };
        ipnTimings.set(id, t);
        res.on('finish', () => void (t.answered = performance.now()));
      }
      next();
    });
    outer.use(app);
    const apiServer = await listen(timeApi ? outer : app);
    later(() => close(apiServer));
    const apiUrl = urlOf(apiServer);
    sandbox.amazonPayIpn.configure({ targetUrl: `${apiUrl}/shops/${SHOP_ID}/amazon-pay/ipn` });

    // The baseline: a trivial route on a fresh server, same process, same loopback, same client.
    const plain = express();
    plain.get('/ping', (_req, res) => void res.json({ ok: true }));
    const plainServer = await listen(plain);
    later(() => close(plainServer));
    const plainUrl = `${urlOf(plainServer)}/ping`;

    const activityTimings = new Map<string, ActivityTiming[]>();
    if ((o.worker ?? 'process') === 'process') {
      registerTestKey(sandbox);
      await ensureWorkflowBundle(BENCH_BUNDLE_PATH);
      const worker = await startWorkerProcess({
        TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: TASK_QUEUE, DATABASE_URL: db.url, SHOP_ID, SHOP_NOTIFY_EMAIL: NOTIFY_EMAIL,
        SMTP_URL: sandbox.smtpUrl, AUPAY_BASE_URL: sandbox.auPayBaseUrl, WORKER_WORKFLOW_BUNDLE: BENCH_BUNDLE_PATH,
        AMAZONPAY_BASE_URL: sandbox.amazonPayBaseUrl, AMAZONPAY_PUBLIC_KEY_ID: AMAZON_KEY_ID, AMAZONPAY_PRIVATE_KEY_FILE: writeTestKeyFile(),
        // Sized for the bench's waiting orders (up to 1,200 per step, 2,000 over a run), as a deployment sizes it for
        // its load: past the cache each IPN replays its workflow's history first (the default 250 measured p50 87 ms
        // at 10/s with 600 waiting, ~20 ms more worker CPU per IPN, and fell behind at 20/s). Unless set for the run.
        WORKER_MAX_CACHED_WORKFLOWS: process.env.WORKER_MAX_CACHED_WORKFLOWS ?? '2000',
      });
      later(() => worker.stop());
    } else {
      if (!o.workflowBundle) throw new Error('an in-process worker needs workflowBundle');
      const worker = await createRenkeiWorker({
        connection: env.nativeConnection, namespace: 'default', taskQueue: TASK_QUEUE, workflowBundle: o.workflowBundle,
        deps: { ...activityDeps(db.pool, sandbox), amazonPayShop: (s) => (s === SHOP_ID ? { client: amazonPayTestClient(sandbox), notifyEmail: NOTIFY_EMAIL } : undefined) },
        interceptors: timeApi ? { activity: [() => ({ inbound: timedActivities(activityTimings) })] } : undefined,
      });
      const running = worker.run();
      later(async () => {
        worker.shutdown();
        await running;
      });
    }

    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${apiUrl}${path}`, {
        method, headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    };
    const get = async (url: string) => {
      const res = await fetch(url);
      await res.text();
      if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
    };
    const chargeIds = new SetPoller<string>((keys) => keyed(observerPool,
      `SELECT order_id AS key, charge_id AS value FROM amazon_pay_orders WHERE shop_id = $1 AND order_id = ANY($2) AND charge_id IS NOT NULL`, keys), 20);
    // The value: when the row was written (the inserting statement's now(), in epoch ms), for a figure without the polling delay.
    const outbox = new SetPoller<string>((keys) => keyed(observerPool,
      `SELECT order_id AS key, (extract(epoch FROM min(created_at)) * 1000)::text AS value FROM order_outbox
        WHERE shop_id = $1 AND order_id = ANY($2) GROUP BY order_id`, keys), o.pollMs);

    const prepare = async (tag: string, n: number, concurrency: number, onPrepared?: (done: number) => void): Promise<PreparedOrder[]> => {
      const orders = new Array<PreparedOrder>(n);
      let done = 0;
      await runPhase(n, concurrency, async (i) => {
        const orderId = `BENCH-${tag}-${i}`;
        const chargePermissionId = await mintChargePermission(sandbox, { chargePermissionType: 'OneTime', amount: 30000 });
        await sandbox.control('POST', '/amazon-pay/_sandbox/outcomes', { kind: 'pending', operation: 'createCharge', chargePermissionId, delayMs: 86_400_000 });
        await call('POST', `/shops/${SHOP_ID}/amazon-pay/authorizations`, { orderId, chargePermissionId, amountJpy: 9800 });
        const seen = await chargeIds.waitFor(orderId, CHARGE_TIMEOUT_MS);
        if (!seen) throw new Error(`order ${orderId}: no chargeId within ${CHARGE_TIMEOUT_MS} ms`);
        orders[i] = { orderId, chargeId: seen.value };
        done += 1;
        onPrepared?.(done);
      });
      // The charges' creation IPNs (and the reads of the few that woke a workflow) must not overlap the measured part.
      await sandbox.amazonPayIpn.flush();
      await new Promise((r) => setTimeout(r, o.settleMs ?? 1000));
      return orders;
    };
    const resolveAndSee = async (order: PreparedOrder, timeoutMs: number) => {
      await sandbox.control('POST', `/amazon-pay/_sandbox/charges/${order.chargeId}/resolve`, { state: 'Authorized' });
      const seen = await outbox.waitFor(order.orderId, timeoutMs);
      return seen && { seenAt: seen.seenAt, writtenAt: Number(seen.value) };
    };
    return { env, address, sandbox, observerPool, apiUrl, plainUrl, get, outbox, ipnTimings, signalTimings, activityTimings, prepare, resolveAndSee, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Each activity's run, timed around the activity's own function. */
function timedActivities(timings: Map<string, ActivityTiming[]>): ActivityInboundCallsInterceptor {
  return {
    async execute(input, next) {
      const { info } = Context.current();
      const started = performance.now();
      try {
        return await next(input);
      } finally {
        const id = info.workflowExecution?.workflowId ?? '';
        timings.set(id, [...(timings.get(id) ?? []), { type: info.activityType, started, ended: performance.now() }]);
      }
    },
  };
}

/** The verifier, timed: when verification started and ended, and which charge the message names. */
function timedVerifier(inner: SnsVerifier, timings: Map<string, IpnTiming>): SnsVerifier {
  return {
    async verify(body, expect) {
      const started = performance.now();
      const envelope = await inner.verify(body, expect);
      const t = timings.get(envelope.MessageId);
      if (t) {
        t.verifyStarted = started;
        t.verified = performance.now();
        try {
          t.objectId = parseAmazonPayIpnMessage(envelope.Message).objectId;
        } catch {
          // not an Amazon Pay message: the route refuses it, nothing to time
        }
      }
      return envelope;
    },
  };
}

/** The client, with each workflow handle's signal() timed (the rest passes through). */
function timedSignals(client: Client, timings: Map<string, SignalTiming[]>): Client {
  const workflow = new Proxy(client.workflow, {
    get(target, prop, receiver) {
      if (prop !== 'getHandle') return Reflect.get(target, prop, receiver) as unknown;
      return (...args: Parameters<typeof target.getHandle>) => {
        const handle = target.getHandle(...args);
        const signal: typeof handle.signal = async (...s) => {
          const started = performance.now();
          try {
            return await handle.signal(...s);
          } finally {
            timings.set(args[0], [...(timings.get(args[0]) ?? []), { started, returned: performance.now() }]);
          }
        };
        return Object.assign(Object.create(handle) as typeof handle, { signal });
      };
    },
  });
  return new Proxy(client, { get: (target, prop, receiver) => (prop === 'workflow' ? workflow : Reflect.get(target, prop, receiver) as unknown) });
}

async function keyed(pool: Pool, sql: string, keys: string[]): Promise<Map<string, string>> {
  const { rows } = await pool.query<{ key: string; value: string }>(sql, [SHOP_ID, keys]);
  return new Map(rows.map((r) => [r.key, r.value]));
}

function listen(app: express.Express): Promise<Server> {
  return new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
}

const urlOf = (s: Server) => `http://127.0.0.1:${(s.address() as { port: number }).port}`;

function close(s: Server): Promise<void> {
  s.closeAllConnections();
  return new Promise((resolve) => s.close(() => resolve()));
}
