/**
 * `npm run bench:chaos [-- --orders N --kill-every S --timeout-min M]` (on demand, not in CI; issue 10 §8): the whole
 * system as `npm start` runs it, each part its own process (Temporal dev server on a SQLite file, PGlite on a data
 * folder, the sandbox with its state folder, the worker, the API), on free ports and a temporary DATA_DIR. N orders go
 * in through the API as a caller would send them (au PAY shipments, Amazon Pay authorizations, O-PLUX orders, GMO-PG
 * cancellations; the last three write order data OUT), each retried on 5xx and network errors, while every emulator
 * answers ~10 % of calls with a fault (a 503, or on the calls that change something a timeout or slow answer past the
 * client's timeout, after the effect was applied), the worker is killed (SIGKILL) every S seconds and Temporal and
 * PostgreSQL are each killed once; each is restarted. Then every order must reach its final status and every external
 * effect must be in the sandbox's ledgers exactly once. Exit 1 when anything is off.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { localStackEnv, type LocalPorts } from '../common/local-urls';
import { registerSearchAttributes } from '../workers/register-search-attributes';
import { temporalCliPath } from '../common/temporal-binaries';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { createGmoPgClient } from '../gmo-pg/client';
import { SANDBOX_MERCHANT_ID } from '../amazon-pay/emulator/ipn-sender';
import { DEFAULT_SNS_TOPIC_ARN } from '../amazon-pay/sns/sns-signer';
import { CLI_TYPE_NAMES, SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { startChild, startTsChild, supervise, waitFor, type Child, type Supervised } from '../scripts/child-processes';
import { freePort } from '../tests/support/free-port';
import { newReviewOrder } from '../tests/support/oplux-fixtures';
import { parseIntFlags } from './args';

const ROOT = path.resolve(__dirname, '..');
const USAGE = 'usage: npm run bench:chaos -- [--orders N] [--kill-every S] [--timeout-min M]   (positive integers; defaults 40, 20 and 10)';
const SHOP = 'chaos-shop';
const AU_SHOP = { shopId: '55550001', apiKey: `chaos-au-${randomBytes(8).toString('hex')}` };
const OPLUX = { shopId: 'OPLUXCHAOS01', connectionId: 'CHAOS-CONN', secretKey: `chaos-oplux-${randomBytes(8).toString('hex')}` };
const GMO = { shopId: 'tshop00055501', shopPass: 'chaos555' };
const GMO_METHOD = 'credit-gmo-pg';
const RECEIVER = { name: 'chaos', secret: `whsec_${randomBytes(24).toString('base64')}` };
const AMAZON_KEY_ID = 'CHAOS-RENKEI-KEY';
/** Client timeouts for the worker (short, so a fault's delay exceeds them and the run stays short); order OUT's is 10 s, fixed. */
const CLIENT_TIMEOUT_MS = 4_000;
const LATE_MS = 7_000;
const ORDER_OUT_LATE_MS = 12_000;
const FAULT_P = 0.1;
/** Submissions are spread over at most 90 s (1.5 s apart for 60 orders or fewer), so that they meet the kills. */
const submitEveryMs = (n: number) => Math.max(20, Math.min(1_500, Math.floor(90_000 / n)));

type Kind = 'au-pay' | 'amazon-pay' | 'oplux' | 'cancel';
interface Order {
  kind: Kind;
  orderId: string;
  /** the provider's id its effects are ledgered under: au PAY order number, charge permission, O-PLUX order, GMO OrderID */
  ref: string;
  body: Record<string, unknown>;
  path: string;
  submit?: { status: number; attempts: number; retriedOn: string[] };
  status?: string;
  final?: boolean;
  /** final but not the success status */
  wrong?: boolean;
  failure?: unknown;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const t0 = Date.now();
const stamp = () => `${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s`;
let logFile = '';
const realWrite = process.stdout.write.bind(process.stdout) as (chunk: unknown, ...rest: unknown[]) => boolean;
/** worker log lines that quote a client timeout or a 503 (each failed attempt may be logged more than once) */
const faultLines = { timeouts: 0, unavailable: 0 };
const say = (line: string) => {
  realWrite(`${stamp()} ${line}\n`);
  if (logFile) appendFileSync(logFile, `${new Date().toISOString()} [chaos] ${line}\n`);
};

/** The children's lines (prefixed `[name]` by child-processes) go to the run's log file, not to the console. */
function childLinesToLog(errorLines: Map<string, string[]>) {
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string' && /^\[[a-z-]+\]/.test(chunk)) {
      appendFileSync(logFile, `${new Date().toISOString()} ${chunk}`);
      const name = /^\[([a-z-]+)\]/.exec(chunk)![1]!;
      if (/\b(ERROR|PANIC|FATAL)\b|Unhandled|uncaught/.test(chunk)) {
        const list = errorLines.get(name) ?? [];
        list.push(chunk.trim());
        errorLines.set(name, list);
      }
      if (name === 'worker' && /no answer within/.test(chunk)) faultLines.timeouts += 1;
      if (name === 'worker' && /\b503\b|Service Unavailable/.test(chunk)) faultLines.unavailable += 1;
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      if (callback) process.nextTick(callback);
      return true;
    }
    return realWrite(chunk, ...rest);
  }) as typeof process.stdout.write;
}

async function main(): Promise<number> {
  let args: { orders: number; 'kill-every': number; 'timeout-min': number };
  try {
    args = parseIntFlags(process.argv.slice(2), { orders: 40, 'kill-every': 20, 'timeout-min': 10 }, USAGE);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'renkei-chaos-'));
  logFile = path.join(dataDir, 'chaos.log');
  const errorLines = new Map<string, string[]>();
  childLinesToLog(errorLines);
  const supervised: Supervised[] = [];
  const kills = { worker: 0, temporal: 0, postgres: 0 };
  const restartLines: string[] = [];
  const superviseOptions = { minBackoffMs: 500, maxBackoffMs: 2_000, log: (line: string) => { restartLines.push(line); say(line); } };
  let stopping = false;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    for (const child of [...supervised].reverse()) await child.stop().catch(() => undefined);
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
  process.once('SIGTERM', () => void stopAll().then(() => process.exit(143)));

  let ok = false;
  try {
    const ports: LocalPorts = {
      API_PORT: await freePort(), TEMPORAL_PORT: await freePort(), TEMPORAL_UI_PORT: await freePort(), SANDBOX_PORT: await freePort(),
      SANDBOX_TLS_PORT: await freePort(), SMTP_PORT: await freePort(), PGLITE_PORT: await freePort(),
      WORKER_METRICS_PORT: await freePort(), TEMPORAL_SDK_METRICS_PORT: await freePort(),
    };
    const externalDb = process.env.DATABASE_URL;
    const urls = localStackEnv(ports, { ...process.env, DATABASE_URL: externalDb }, { shopId: SHOP });
    const sandboxUrl = urls.SANDBOX_PUBLIC_URL;
    const apiUrl = `http://127.0.0.1:${ports.API_PORT}`;
    say(`chaos: ${args.orders} orders, worker killed every ${args['kill-every']} s, Temporal and PostgreSQL killed once each; data ${dataDir}`);
    say(`machine: ${os.cpus().length} CPUs, Node ${process.version}; log of every process: ${logFile}`);

    // Temporal dev server, persisted in SQLite so that a restart keeps the workflows
    const temporal = supervise(() => startChild('temporal', temporalCliPath(), [
      'server', 'start-dev', '--ip', '127.0.0.1', '--port', String(ports.TEMPORAL_PORT), '--ui-port', String(ports.TEMPORAL_UI_PORT),
      '--db-filename', path.join(dataDir, 'temporal.db'), '--namespace', 'default', '--log-level', 'error', '--ui-disable-news-fetch',
      ...SEARCH_ATTRIBUTES.flatMap((a) => ['--search-attribute', `${a.name}=${CLI_TYPE_NAMES[a.type]}`]),
    ], process.env), superviseOptions);
    supervised.push(temporal);
    const temporalUp = async (timeoutMs = 60_000) => {
      let connection: Connection | undefined;
      await waitFor('the Temporal server', async () => {
        connection = await Connection.connect({ address: urls.TEMPORAL_ADDRESS, connectTimeout: 1000 });
        return true;
      }, timeoutMs);
      return connection!;
    };
    const connection = await temporalUp();
    temporal.ready();
    await registerSearchAttributes(connection, 'default');
    await connection.close();
    say(`Temporal dev server up on ${urls.TEMPORAL_ADDRESS}`);

    // PostgreSQL: PGlite in its own process on a data folder, unless DATABASE_URL is given
    let pglite: Supervised | undefined;
    const databaseUrl = externalDb ?? urls.DATABASE_URL;
    const postgresUp = (timeoutMs = 60_000) => waitFor('PostgreSQL', async () => {
      const c = new PgClient({ connectionString: databaseUrl });
      await c.connect();
      await c.end();
      return true;
    }, timeoutMs);
    if (!externalDb) {
      pglite = supervise(() => startTsChild('pglite', path.join(ROOT, 'db/embedded-postgres-main.ts'), {
        ...process.env, PGLITE_PORT: String(ports.PGLITE_PORT), PGLITE_DATA_DIR: path.join(dataDir, 'pglite'),
      }), superviseOptions);
      supervised.push(pglite);
      await postgresUp();
      pglite.ready();
    }
    const pool = createPool(databaseUrl, 2);
    await migrate(pool);
    say(`PostgreSQL up (${externalDb ? 'DATABASE_URL' : `PGlite on ${ports.PGLITE_PORT}`})`);

    const amazonKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const amazonKeyFile = path.join(dataDir, 'amazon-pay-key.pem');
    writeFileSync(amazonKeyFile, amazonKey, { mode: 0o600 });
    const apiToken = randomBytes(24).toString('hex');
    const shared: NodeJS.ProcessEnv = {
      ...process.env, ...urls, DATABASE_URL: databaseUrl, DATA_DIR: dataDir, TEMPORAL_NAMESPACE: 'default', SHOP_ID: SHOP,
      SANDBOX_PORT: String(ports.SANDBOX_PORT), SMTP_PORT: String(ports.SMTP_PORT), API_PORT: String(ports.API_PORT), API_TOKEN: apiToken,
      WORKER_METRICS_PORT: String(ports.WORKER_METRICS_PORT), TEMPORAL_SDK_METRICS_PORT: String(ports.TEMPORAL_SDK_METRICS_PORT),
      SANDBOX_TLS_PORT: String(ports.SANDBOX_TLS_PORT), SANDBOX_TLS_CERT_FILE: path.join(dataDir, 'sandbox-tls-cert.pem'),
      AMAZONPAY_IPN_SANDBOX_CERT_URL: `https://127.0.0.1:${ports.SANDBOX_TLS_PORT}/__sns/`, AMAZONPAY_IPN_SANDBOX_CA_FILE: path.join(dataDir, 'sandbox-tls-cert.pem'),
      AMAZONPAY_PRIVATE_KEY_FILE: amazonKeyFile, AMAZONPAY_PUBLIC_KEY_ID: AMAZON_KEY_ID,
      AMAZONPAY_IPN_CERT_HOST: '^127\\.0\\.0\\.1$', AMAZONPAY_IPN_ALLOW_HTTP_CERT: 'true',
      YAHOO_REFRESH_TOKEN: `rt.chaos.${randomBytes(18).toString('base64url')}`,
      ACCOUNTS_KEYS: `chaos:${randomBytes(32).toString('base64')}`, ACCOUNTS_KEY_ID: 'chaos',
      PAYLOAD_KEYS: `chaos:${randomBytes(32).toString('base64')}`, PAYLOAD_KEY_ID: 'chaos',
      AUPAY_TIMEOUT_MS: String(CLIENT_TIMEOUT_MS), AMAZONPAY_TIMEOUT_MS: String(CLIENT_TIMEOUT_MS),
      OPLUX_TIMEOUT_MS: String(CLIENT_TIMEOUT_MS), GMO_PG_TIMEOUT_MS: String(CLIENT_TIMEOUT_MS),
    };

    const sandbox = supervise(() => startTsChild('sandbox', path.join(ROOT, 'sandbox/main.ts'), { ...shared, SANDBOX_STATE_DIR: path.join(dataDir, 'sandbox') }), superviseOptions);
    supervised.push(sandbox);
    await waitFor('the sandbox', async () => (await fetch(`${sandboxUrl}/`)).ok, 60_000, sandbox.current());
    sandbox.ready();
    say(`sandbox up on ${sandboxUrl}`);

    let workerPolling = false;
    let workerStarts = 0;
    const worker = supervise(() => {
      workerPolling = false;
      workerStarts += 1;
      return startTsChild('worker', path.join(ROOT, 'workers/main.ts'), shared, (line) => {
        if (line.includes('worker polling')) workerPolling = true;
      });
    }, superviseOptions);
    supervised.push(worker);
    await waitFor('the worker', async () => workerPolling, 180_000, worker.current());
    worker.ready();
    say('worker polling');

    const api = supervise(() => startTsChild('api', path.join(ROOT, 'api/main.ts'), shared), superviseOptions);
    supervised.push(api);
    await waitFor('the API', async () => (await fetch(`${apiUrl}/health`)).ok, 60_000, api.current());
    api.ready();
    say(`API up on ${apiUrl}`);

    const control = async <T = unknown>(method: string, p: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${sandboxUrl}${p}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      if (!res.ok) throw new Error(`sandbox ${method} ${p}: ${res.status} ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    };
    const caller = apiCaller(apiUrl, apiToken);

    // The providers, as a shop would set them up: accounts at each emulator and in the shop's sealed accounts
    await control('POST', '/au-pay/_sandbox/shops', AU_SHOP);
    await control('POST', '/oplux/_sandbox/merchants', OPLUX);
    await control('POST', '/gmo-pg/_sandbox/shops', GMO);
    await control('POST', '/external-system/_sandbox/endpoints', RECEIVER);
    const today = new Date().toISOString().slice(0, 10);
    const setups: Array<[string, string, unknown]> = [
      ['PUT', '/accounts/au-pay', { shopId: AU_SHOP.shopId, apiKey: AU_SHOP.apiKey, apiKeyIssuedOn: today }],
      ['PUT', '/accounts/amazon-pay', { merchantId: SANDBOX_MERCHANT_ID, publicKeyId: AMAZON_KEY_ID, privateKey: amazonKey, ipnTopicArns: [DEFAULT_SNS_TOPIC_ARN] }],
      ['PUT', '/accounts/oplux', { merchantId: OPLUX.shopId, accessId: OPLUX.connectionId, secret: OPLUX.secretKey }],
      ['PUT', '/accounts/gmo-pg', GMO],
      ['PUT', '/accounts/external-system', { url: `${sandboxUrl}/external-system/receive/${RECEIVER.name}`, signingSecret: RECEIVER.secret }],
      ['PUT', `/cancellations/payment-methods/${GMO_METHOD}`, { provider: 'gmo-pg', cancelApi: true }],
    ];
    for (const [method, p, body] of setups) {
      const r = await caller.once(method, `/shops/${SHOP}${p}`, body);
      if (r.status !== 200) throw new Error(`${method} ${p}: ${r.status} ${r.text}`);
    }

    const orders = await makeOrders(args.orders, control, sandboxUrl);
    say(`set up: ${countBy(orders, (o) => o.kind)}`);

    // ~10 % faults on every emulator: on the calls that change something, a late answer after the effect
    const faults: Array<[string, Record<string, unknown>]> = [
      ['au-pay', { operation: 'updateTradeInfoProc', kind: 'slow', delayMs: LATE_MS, probability: FAULT_P }],
      ['au-pay', { operation: 'updateTradeStsProc', kind: 'timeout', afterEffect: true, delayMs: LATE_MS, probability: FAULT_P }],
      ['au-pay', { operation: '*', kind: 'error', status: 503, probability: FAULT_P }],
      ['amazon-pay', { operation: 'createCharge', kind: 'timeout', afterEffect: true, delayMs: LATE_MS, probability: FAULT_P }],
      ['amazon-pay', { operation: '*', kind: 'error', status: 503, probability: FAULT_P }],
      ['oplux', { operation: 'registerEvent', kind: 'slow', delayMs: LATE_MS, probability: FAULT_P }],
      ['oplux', { operation: '*', kind: 'error', status: 503, probability: FAULT_P }],
      ['gmo-pg', { operation: 'AlterTran', kind: 'timeout', afterEffect: true, delayMs: LATE_MS, probability: FAULT_P }],
      ['gmo-pg', { operation: '*', kind: 'error', status: 503, probability: FAULT_P }],
      ['external-system', { operation: 'receive', kind: 'timeout', afterEffect: true, delayMs: ORDER_OUT_LATE_MS, probability: FAULT_P }],
    ];
    for (const [emulator, rule] of faults) await control('POST', `/${emulator}/_sandbox/faults`, rule);
    say(`faults on: ${faults.length} rules, p=${FAULT_P} (late answers ${LATE_MS} ms against client timeouts of ${CLIENT_TIMEOUT_MS} ms; order OUT ${ORDER_OUT_LATE_MS} ms against 10 s)`);

    // The chaos: the worker every kill-every seconds (once it polls again), Temporal and PostgreSQL once each
    const killGroup = (child: Child) => {
      try {
        process.kill(-child.process.pid!, 'SIGKILL');
      } catch {
        child.process.kill('SIGKILL');
      }
    };
    let chaosOn = true;
    const submitStart = Date.now();
    const every = submitEveryMs(orders.length);
    const windowMs = every * orders.length;
    const killTemporalAt = Math.round(windowMs / 3);
    const killPostgresAt = Math.round(windowMs * 0.8);
    say(`submitting one order every ${every} ms for ${(windowMs / 1000).toFixed(0)} s; Temporal killed at ${(killTemporalAt / 1000).toFixed(0)} s, PostgreSQL at ${(killPostgresAt / 1000).toFixed(0)} s`);
    const workerKiller = (async () => {
      while (chaosOn) {
        const due = Date.now() + args['kill-every'] * 1000;
        while (chaosOn && (Date.now() < due || !workerPolling)) await sleep(250);
        if (!chaosOn) break;
        kills.worker += 1;
        say(`KILL worker #${kills.worker} (pid ${worker.current().process.pid}, SIGKILL)`);
        killGroup(worker.current());
        workerPolling = false;
      }
    })();
    const onceKills = (async () => {
      await sleep(killTemporalAt);
      kills.temporal += 1;
      say(`KILL Temporal (pid ${temporal.current().process.pid}, SIGKILL to its group)`);
      const down = Date.now();
      killGroup(temporal.current());
      await sleep(1_000);
      (await temporalUp(120_000)).close().catch(() => undefined);
      say(`Temporal back after ${((Date.now() - down) / 1000).toFixed(1)} s`);
      await sleep(Math.max(0, killPostgresAt - (Date.now() - submitStart)));
      if (!pglite) {
        say('PostgreSQL not killed: DATABASE_URL is an external server');
        return;
      }
      kills.postgres += 1;
      say(`KILL PostgreSQL/PGlite (pid ${pglite.current().process.pid}, SIGKILL)`);
      const pgDown = Date.now();
      killGroup(pglite.current());
      await sleep(1_000);
      await postgresUp(120_000);
      say(`PostgreSQL back after ${((Date.now() - pgDown) / 1000).toFixed(1)} s`);
    })();

    // Submissions, spread out so that they meet the kills; each retried like a real caller until it is answered
    const submitted = orders.map(async (o, i) => {
      await sleep(i * every);
      o.submit = await caller.retrying('POST', `/shops/${SHOP}${o.path}`, o.body, Date.now() + 5 * 60_000);
    });
    await Promise.all(submitted);
    say(`submitted ${orders.length}: answers ${countBy(orders, (o) => String(o.submit?.status))}; ${orders.reduce((n, o) => n + (o.submit!.attempts - 1), 0)} retries (${countBy(orders.flatMap((o) => o.submit!.retriedOn), (s) => s) || 'none'})`);
    await onceKills;

    // Every order at its final status, bounded
    const deadline = t0 + args['timeout-min'] * 60_000;
    let lastReport = 0;
    while (Date.now() < deadline) {
      await readStatuses(orders, caller, pool).catch((err: Error) => say(`status read failed (${err.message}); again`));
      const open = orders.filter((o) => !o.final);
      if (!open.length) break;
      if (Date.now() - lastReport > 15_000) {
        lastReport = Date.now();
        say(`waiting: ${orders.length - open.length}/${orders.length} final; open: ${countBy(open, (o) => `${o.kind}:${o.status ?? '?'}`)}`);
      }
      await sleep(3_000);
    }
    chaosOn = false;
    await workerKiller;
    const runSeconds = (Date.now() - submitStart) / 1000;
    // nothing late may arrive after this: answers held by the faults have all been given
    await sleep(ORDER_OUT_LATE_MS + 1_000);
    await readStatuses(orders, caller, pool).catch(() => undefined);

    const problems = await verifyLedgers(orders, control, pool);
    const notFinal = orders.filter((o) => !o.final);
    const wrong = orders.filter((o) => o.final && o.wrong);
    const submitFailed = orders.filter((o) => !o.submit || (o.submit.status !== 202 && o.submit.status !== 200));
    const outbox = await pool.query<{ status: string; n: string }>(`SELECT status, count(*) AS n FROM order_outbox WHERE shop_id = $1 GROUP BY status`, [SHOP]);
    // the faults that took effect, as renkei recorded them: au PAY's call history, order OUT's attempts
    const auCalls = await pool.query<{ operation: string; outcome: string; n: string }>(
      `SELECT operation, CASE WHEN result = '成功' THEN 'ok' WHEN error_message LIKE '%no answer within%' THEN 'timeout' ELSE coalesce(http_status::text, error_code, 'error') END AS outcome, count(*) AS n
       FROM au_pay_call_history WHERE shop_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`, [SHOP]);
    const outAttempts = await pool.query<{ outcome: string; n: string }>(
      `SELECT CASE WHEN a.error IS NULL THEN 'delivered' WHEN a.error LIKE '%no answer within%' THEN 'timeout' ELSE coalesce(a.http_status::text, 'error') END AS outcome, count(*) AS n
       FROM order_out_attempts a JOIN order_outbox o ON o.id = a.outbox_id WHERE o.shop_id = $1 GROUP BY 1 ORDER BY 1`, [SHOP]);
    await pool.end();

    say('');
    say('================ chaos summary ================');
    say(`orders N=${orders.length} (${countBy(orders, (o) => o.kind)})`);
    say(`kills: worker ${kills.worker} (SIGKILL every ${args['kill-every']} s once polling; ${workerStarts} worker starts), Temporal ${kills.temporal}, PostgreSQL ${kills.postgres}`);
    const unexpected = restartLines.filter((l) => /exited unexpectedly/.test(l)).length - kills.worker - kills.temporal - kills.postgres;
    say(`other process exits (not ours): ${unexpected}`);
    say(`duration: ${runSeconds.toFixed(0)} s from first submission to all final (whole run ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    say(`submissions: ${countBy(orders, (o) => String(o.submit?.status))}; retried on ${countBy(orders.flatMap((o) => o.submit?.retriedOn ?? []), (s) => s) || 'nothing'}`);
    say(`final statuses: ${countBy(orders, (o) => `${o.kind}:${o.status ?? '?'}`)}`);
    say(`order data OUT rows: ${outbox.rows.map((r) => `${r.status} ${r.n}`).join(', ')}`);
    say(`faults met: au PAY calls ${auCalls.rows.map((r) => `${r.operation}/${r.outcome} ${r.n}`).join(', ')}`);
    say(`faults met: order OUT attempts ${outAttempts.rows.map((r) => `${r.outcome} ${r.n}`).join(', ')}`);
    say(`faults met: worker log lines quoting a client timeout ${faultLines.timeouts}, a 503 ${faultLines.unavailable} (all providers)`);
    say(`orders not final: ${notFinal.length}${notFinal.length ? ` (${notFinal.map((o) => `${o.kind} ${o.orderId}: ${o.status}`).join('; ')})` : ''}`);
    say(`orders ended otherwise: ${wrong.length}${wrong.length ? ` (${wrong.map((o) => `${o.kind} ${o.orderId}: ${o.status} ${JSON.stringify(o.failure ?? null)}`).join('; ')})` : ''}`);
    say(`submissions not accepted: ${submitFailed.length}${submitFailed.length ? ` (${submitFailed.map((o) => `${o.orderId}: ${o.submit?.status}`).join('; ')})` : ''}`);
    say(`duplicates / missing effects in the ledgers: ${problems.length}`);
    for (const p of problems) say(`  - ${p}`);
    for (const [name, lines] of errorLines) say(`${name}: ${lines.length} ERROR lines in the log (first: ${lines[0]!.slice(0, 300)})`);
    ok = !problems.length && !notFinal.length && !wrong.length && !submitFailed.length;
    say(ok ? 'RESULT: OK, every order final and every effect applied once' : 'RESULT: FAILED');
    return ok ? 0 : 1;
  } finally {
    await stopAll();
    process.stdout.write = realWrite as typeof process.stdout.write;
    if (ok && !process.env.CHAOS_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
    else realWrite(`data and logs kept in ${dataDir}\n`);
  }
}

/** The orders, and what each needs at its provider: au PAY trades, charge permissions, GMO-PG trades authorized. */
async function makeOrders(n: number, control: <T>(m: string, p: string, b?: unknown) => Promise<T>, sandboxUrl: string): Promise<Order[]> {
  const kinds: Kind[] = ['au-pay', 'amazon-pay', 'oplux', 'cancel'];
  const run = randomBytes(3).toString('hex').toUpperCase();
  const gmo = createGmoPgClient({ baseUrl: `${sandboxUrl}/gmo-pg/payment/`, ...GMO, timeoutMs: 10_000 });
  const orders: Order[] = [];
  for (let i = 0; i < n; i++) {
    const kind = kinds[i % kinds.length]!;
    const orderId = `CHAOS-${run}-${kind === 'au-pay' ? 'AU' : kind === 'amazon-pay' ? 'AMZ' : kind === 'oplux' ? 'OPX' : 'CXL'}-${i}`;
    if (kind === 'au-pay') {
      const auPayOrderId = String(800_000_000 + Math.floor(Math.random() * 1e6) * 100 + i);
      await control('POST', '/au-pay/_sandbox/trades', { shopId: AU_SHOP.shopId, orderId: auPayOrderId });
      orders.push({
        kind, orderId, ref: auPayOrderId, path: '/au-pay/shipments',
        body: { orderId, auPayOrderId, managementClass: '通常', shipDate: new Date().toISOString().slice(0, 10), carrier: '1', trackingNumber: `4321-${String(i).padStart(4, '0')}-1111` },
      });
    } else if (kind === 'amazon-pay') {
      const { chargePermissionId } = await control<{ chargePermissionId: string }>('POST', '/amazon-pay/_sandbox/charge-permissions', { chargePermissionType: 'OneTime', amount: 30000 });
      orders.push({ kind, orderId, ref: chargePermissionId, path: '/amazon-pay/authorizations', body: { orderId, chargePermissionId, amountJpy: 4200 + i } });
    } else if (kind === 'oplux') {
      const { shopId: _shop, ...review } = newReviewOrder({ orderId });
      orders.push({ kind, orderId, ref: orderId, path: '/oplux/orders', body: review as unknown as Record<string, unknown> });
    } else {
      const trade = `X${run}${i}`;
      const keys = await gmo.entryTran({ orderId: trade, jobCd: 'AUTH', amount: 3980 });
      await gmo.execTran({ ...keys, orderId: trade, card: { cardNo: '4111111111111111', expire: '3012' } });
      orders.push({ kind, orderId, ref: trade, path: '/cancellations', body: { orderId, source: 'buyer', payment: { method: GMO_METHOD, gmoPgOrderId: trade } } });
    }
  }
  return orders;
}

/** Reads each open order through the API's GET (and its order data OUT rows from the database). */
async function readStatuses(orders: Order[], caller: ReturnType<typeof apiCaller>, pool: ReturnType<typeof createPool>): Promise<void> {
  const { rows } = await pool.query<{ order_id: string; open: string }>(
    `SELECT order_id, count(*) FILTER (WHERE status <> 'delivered') AS open FROM order_outbox WHERE shop_id = $1 GROUP BY order_id`, [SHOP]);
  const outboxOpen = new Map(rows.map((r) => [r.order_id, Number(r.open)]));
  const outboxDone = (id: string) => outboxOpen.has(id) && outboxOpen.get(id) === 0;
  for (const o of orders.filter((x) => !x.final)) {
    const get = { 'au-pay': `/au-pay/orders/${o.orderId}`, 'amazon-pay': `/amazon-pay/orders/${o.orderId}`, oplux: `/oplux/orders/${o.orderId}`, cancel: `/cancellations/${o.orderId}` }[o.kind];
    const r = await caller.once('GET', `/shops/${SHOP}${get}`);
    if (r.status !== 200) {
      o.status = `HTTP ${r.status}`;
      continue;
    }
    const b = r.body as Record<string, unknown>;
    o.failure = b.failure ?? undefined;
    if (o.kind === 'au-pay') {
      o.status = String(b.linkStatus);
      o.final = o.status === '受注完了ステータス反映済み';
      o.wrong = /エラー/.test(o.status);
      if (o.wrong) o.final = true;
    } else if (o.kind === 'amazon-pay') {
      o.status = String(b.paymentStatus);
      o.final = o.status === '審査完了' && outboxDone(o.orderId);
      if (['審査NG', '審査エラー'].includes(o.status)) Object.assign(o, { final: true, wrong: true });
    } else if (o.kind === 'oplux') {
      o.status = String(b.status);
      o.final = o.status === 'OK' && outboxDone(o.orderId);
      if (['NG', '審査エラー', '更新エラー', '目視審査待ち', '目視審査HOLD'].includes(o.status)) Object.assign(o, { final: true, wrong: true });
    } else {
      o.status = `${String(b.status)}/${String(b.externalStatus)}`;
      o.final = b.status === 'canceled' && b.externalStatus === 'delivered';
      if (b.status === 'provider-failed' || b.status === 'left' || b.externalStatus === 'failed') Object.assign(o, { final: true, wrong: true });
    }
    if (!o.final && o.failure) Object.assign(o, { final: true, wrong: true });
  }
}

interface LedgerEntry { operation: string; orderId: string; applied: boolean; effect: string; key?: string }

/** Each external effect exactly once per order, per the emulators' ledgers; every order data OUT row received once. */
async function verifyLedgers(orders: Order[], control: <T>(m: string, p: string, b?: unknown) => Promise<T>, pool: ReturnType<typeof createPool>): Promise<string[]> {
  const problems: string[] = [];
  const ledger = async (emulator: string) => (await control<{ entries: LedgerEntry[] }>('GET', `/${emulator}/_sandbox/ledger`)).entries;
  const [au, amazon, oplux, gmo, external] = await Promise.all(['au-pay', 'amazon-pay', 'oplux', 'gmo-pg', 'external-system'].map(ledger));
  const once = (o: Order, entries: LedgerEntry[], what: string, match: (e: LedgerEntry) => boolean) => {
    const applied = entries.filter((e) => e.orderId === o.ref && e.applied && match(e));
    if (applied.length !== 1) problems.push(`${o.kind} ${o.orderId} (${o.ref}): ${what} applied ${applied.length} times: ${applied.map((e) => e.effect).join(' | ')}`);
  };
  for (const o of orders) {
    if (o.kind === 'au-pay') {
      once(o, au!, 'updateTradeInfoProc', (e) => e.operation === 'updateTradeInfoProc');
      once(o, au!, 'updateTradeStsProc', (e) => e.operation === 'updateTradeStsProc');
    } else if (o.kind === 'amazon-pay') {
      once(o, amazon!, 'createCharge', (e) => e.operation === 'createCharge');
    } else if (o.kind === 'oplux') {
      once(o, oplux!, 'O-PLUX registration', (e) => e.operation === 'registerEvent');
    } else {
      once(o, gmo!, 'GMO-PG cancel', (e) => e.operation === 'AlterTran' && /-> (VOID|RETURN|RETURNX) /.test(`${e.effect} `));
    }
  }
  // order data OUT: every row received (accepted, not a duplicate) exactly once under its webhook-id
  const { rows } = await pool.query<{ id: string; order_id: string; event: string; status: string }>(`SELECT id::text, order_id, event, status FROM order_outbox WHERE shop_id = $1 ORDER BY id`, [SHOP]);
  const received = new Map<string, LedgerEntry[]>();
  for (const e of external!.filter((x) => x.operation === 'receive')) received.set(e.key ?? '', [...(received.get(e.key ?? '') ?? []), e]);
  for (const r of rows) {
    const entries = received.get(`renkei-out-${r.id}`) ?? [];
    const applied = entries.filter((e) => e.applied).length;
    if (applied !== 1) problems.push(`order data OUT row ${r.id} (${r.order_id} ${r.event}, ${r.status}): received ${applied} times as new (${entries.length} deliveries)`);
  }
  const known = new Set(rows.map((r) => `renkei-out-${r.id}`));
  const strangers = [...received.keys()].filter((k) => !known.has(k));
  if (strangers.length) problems.push(`the external system received ${strangers.length} deliveries of no outbox row: ${strangers.slice(0, 5).join(', ')}`);
  const expectedOut = orders.filter((o) => o.kind !== 'au-pay').length;
  const ordersWithOut = new Set(rows.map((r) => r.order_id));
  const missingOut = orders.filter((o) => o.kind !== 'au-pay' && !ordersWithOut.has(o.orderId));
  if (missingOut.length) problems.push(`${missingOut.length} of ${expectedOut} orders have no order data OUT row: ${missingOut.map((o) => o.orderId).join(', ')}`);
  const redelivered = [...received.values()].filter((list) => list.length > 1).length;
  say(`ledgers: au PAY ${au!.length} entries, Amazon Pay ${amazon!.length}, O-PLUX ${oplux!.length}, GMO-PG ${gmo!.length}, external system ${external!.length} deliveries of ${rows.length} rows (${redelivered} rows delivered more than once, recognised by webhook-id)`);
  return problems;
}

/** The API as a caller uses it: bearer token, JSON; `retrying` tries again on 5xx and network errors, honouring Retry-After. */
function apiCaller(apiUrl: string, token: string) {
  const once = async (method: string, p: string, body?: unknown): Promise<{ status: number; body: unknown; text: string; retryAfter?: number }> => {
    const res = await fetch(`${apiUrl}${p}`, {
      method, signal: AbortSignal.timeout(20_000),
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    const retryAfter = Number(res.headers.get('retry-after'));
    return { status: res.status, body: parsed, text, retryAfter: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined };
  };
  return {
    once: (method: string, p: string, body?: unknown) => once(method, p, body).catch((err: Error) => ({ status: 0, body: null, text: err.message, retryAfter: undefined })),
    async retrying(method: string, p: string, body: unknown, until: number) {
      const retriedOn: string[] = [];
      for (let attempt = 1; ; attempt++) {
        let why: string;
        let waitMs = 1_000;
        try {
          const r = await once(method, p, body);
          if (r.status < 500) {
            if (r.status >= 300) say(`${method} ${p} answered ${r.status}: ${r.text.slice(0, 300)}`);
            return { status: r.status, attempts: attempt, retriedOn };
          }
          why = String(r.status);
          if (r.status !== 503) say(`${method} ${p} answered ${r.status}: ${r.text.slice(0, 300)}`);
          if (r.retryAfter) waitMs = Math.min(r.retryAfter * 1000, 5_000);
        } catch (err) {
          why = (err as Error).name === 'TimeoutError' ? 'timeout' : 'network';
        }
        retriedOn.push(why);
        if (Date.now() > until) return { status: -1, attempts: attempt, retriedOn };
        await sleep(waitMs);
      }
    },
  };
}

function countBy<T>(items: T[], key: (t: T) => string): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${k} ${n}`).join(', ');
}

void main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    say(`chaos run failed: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
