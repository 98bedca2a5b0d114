import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { z } from 'zod';
import { parseEnv } from '../common/env';
import { localStackEnv, localUrls, portsShape } from '../common/local-urls';
import { acquirePidLock, LockHeldError } from '../common/pid-lock';
import { registerSearchAttributes } from '../workers/register-search-attributes';
import { ensureWorkflowBundle } from '../workers/workflow-bundle';
import { temporalCliPath } from '../common/temporal-binaries';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { devServerArgs } from './dev-server-args';
import { assertPortFree, startChild, startTsChild, supervise, waitFor, type Child, type Supervised } from './child-processes';
import { watchParent } from '../common/parent-watch';

const ROOT = path.resolve(__dirname, '..');
const step = (message: string) => process.stdout.write(`▶ ${message}\n`);

/**
 * `npm start`: the whole system on this machine, in order: Temporal dev server (with Web UI), PostgreSQL
 * (embedded PGlite unless DATABASE_URL is set), migrations, sandbox emulators + SMTP sink, worker, API.
 * Ctrl-C stops every child, last started first. Each child runs in its own process group and stops itself when this
 * process dies, even by SIGKILL; this process stops everything when its own parent (npm) dies. A child that dies once
 * the system is up is restarted with backoff. The data folder is locked: a second `npm start` on it refuses.
 */
async function main() {
  const env = parseEnv({
    ...portsShape,
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
    DATA_DIR: z.string().default(path.join(ROOT, '.data')),
    TEMPORAL_NAMESPACE: z.string().default('default'),
  });
  mkdirSync(env.DATA_DIR, { recursive: true });
  // every child writes to our pipe, not a terminal: pretty lines when we are in one, JSON lines otherwise (LOG_FORMAT wins)
  process.env.LOG_FORMAT ??= process.stdout.isTTY ? 'pretty' : 'json';
  // one `npm start` per data folder, whatever the ports: two would share temporal.db, pglite/ and the dev secrets
  try {
    acquirePidLock(path.join(env.DATA_DIR, 'npm-start.lock'), `the data folder ${env.DATA_DIR}`);
  } catch (err) {
    if (!(err instanceof LockHeldError)) throw err;
    throw new Error(`another npm start is running on this data folder: ${err.message}`, { cause: err });
  }
  const shopId = process.env.SHOP_ID ?? 'demo-shop';
  const urls = localUrls(env, { shopId });

  const ports: Array<[number, string]> = [
    [env.TEMPORAL_PORT, 'TEMPORAL_PORT'], [env.TEMPORAL_UI_PORT, 'TEMPORAL_UI_PORT'], [env.SANDBOX_PORT, 'SANDBOX_PORT'],
    [env.SMTP_PORT, 'SMTP_PORT'], [env.SANDBOX_TLS_PORT, 'SANDBOX_TLS_PORT'], [env.API_PORT, 'API_PORT'],
    [env.WORKER_METRICS_PORT, 'WORKER_METRICS_PORT'], [env.TEMPORAL_SDK_METRICS_PORT, 'TEMPORAL_SDK_METRICS_PORT'], ...(env.DATABASE_URL ? [] : [[env.PGLITE_PORT, 'PGLITE_PORT'] as [number, string]]),
  ];
  for (const [p, name] of ports) await assertPortFree(p, name);

  const children: Supervised[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    step('stopping');
    for (const child of [...children].reverse()) await child.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  process.on('SIGHUP', () => void stopAll(0));
  // npm killed outright (SIGKILL): no signal reaches us, but we are re-parented
  watchParent(() => {
    process.stderr.write('the parent process (npm) is gone: stopping everything\n');
    void stopAll(1);
  });
  /** Supervises a child: once it has come up (`ready`), a crash restarts it with backoff instead of stopping everything. */
  const watch = (start: () => Child): Supervised => {
    const child = supervise(start);
    children.push(child);
    return child;
  };

  try {
    const temporalAddress = urls.env.TEMPORAL_ADDRESS;
    step(`Temporal dev server on ${temporalAddress} (data: ${path.relative(ROOT, env.DATA_DIR)}/temporal.db)`);
    // SQLite in WAL with synchronous=NORMAL (scripts/dev-server-args.ts): a kill of the server loses nothing acknowledged
    const temporal = watch(() => startChild('temporal', temporalCliPath(), devServerArgs({
      port: env.TEMPORAL_PORT, uiPort: env.TEMPORAL_UI_PORT, dbFile: path.join(env.DATA_DIR, 'temporal.db'),
      namespace: env.TEMPORAL_NAMESPACE, codecEndpoint: urls.display.codecEndpoint,
    }), process.env));
    let connection: Connection | undefined;
    await waitFor('the Temporal server', async () => {
      connection = await Connection.connect({ address: temporalAddress, connectTimeout: 1000 });
      return true;
    }, 60_000, temporal.current());
    temporal.ready();
    const added = await registerSearchAttributes(connection!, env.TEMPORAL_NAMESPACE);
    step(`search attributes ${SEARCH_ATTRIBUTES.map((a) => a.name).join(', ')} registered${added.length ? ` (added ${added.join(', ')})` : ''}`);
    await connection!.close();

    let databaseUrl = env.DATABASE_URL;
    if (!databaseUrl) {
      step(`embedded PostgreSQL (PGlite) on ${urls.display.pglite} (data: ${path.relative(ROOT, env.DATA_DIR)}/pglite)`);
      const pglite = watch(() => startTsChild('pglite', path.join(ROOT, 'db/embedded-postgres-main.ts'), {
        ...process.env, PGLITE_PORT: String(env.PGLITE_PORT), PGLITE_DATA_DIR: path.join(env.DATA_DIR, 'pglite'),
      }));
      databaseUrl = urls.env.DATABASE_URL;
      const url = databaseUrl;
      await waitFor('PostgreSQL', async () => {
        const c = new PgClient({ connectionString: url });
        await c.connect();
        await c.end();
        return true;
      }, 60_000, pglite.current());
      pglite.ready();
    } else {
      step(`PostgreSQL at ${databaseUrl.replace(/:[^:@/]*@/, ':***@')}`);
    }

    const pool = createPool(databaseUrl, 1);
    const applied = await migrate(pool);
    await pool.end();
    step(`migrations: ${applied.length ? applied.join(', ') : 'up to date'}`);

    const apiToken = process.env.API_TOKEN ?? devSecret(env.DATA_DIR, 'api-token', () => randomBytes(24).toString('hex'));
    const shared: NodeJS.ProcessEnv = {
      ...process.env,
      // every URL that follows a port, from the one place that derives them (an explicitly set one is kept)
      ...localStackEnv(env, process.env, { shopId }),
      DATABASE_URL: databaseUrl,
      TEMPORAL_NAMESPACE: env.TEMPORAL_NAMESPACE,
      SANDBOX_PORT: String(env.SANDBOX_PORT),
      SMTP_PORT: String(env.SMTP_PORT),
      API_PORT: String(env.API_PORT),
      WORKER_METRICS_PORT: String(env.WORKER_METRICS_PORT),
      TEMPORAL_SDK_METRICS_PORT: String(env.TEMPORAL_SDK_METRICS_PORT),
      API_TOKEN: apiToken,
      // Amazon Pay against the sandbox: a dev key pair, and IPNs from the sandbox to our API, signed by its certificate.
      AMAZONPAY_PRIVATE_KEY_FILE: process.env.AMAZONPAY_PRIVATE_KEY_FILE ?? devAmazonPayKey(env.DATA_DIR),
      AMAZONPAY_IPN_CERT_HOST: process.env.AMAZONPAY_IPN_CERT_HOST ?? '^127\\.0\\.0\\.1$',
      AMAZONPAY_IPN_ALLOW_HTTP_CERT: process.env.AMAZONPAY_IPN_ALLOW_HTTP_CERT ?? 'true',
      SANDBOX_TLS_PORT: String(env.SANDBOX_TLS_PORT),
      SANDBOX_TLS_CERT_FILE: path.join(env.DATA_DIR, 'sandbox-tls-cert.pem'),
      // with TLS on, the sandbox's IPNs carry an https SigningCertURL on that listener: the API trusts it and its certificate
      AMAZONPAY_IPN_SANDBOX_CERT_URL: `${urls.display.sandboxTls}/__sns/`,
      AMAZONPAY_IPN_SANDBOX_CA_FILE: path.join(env.DATA_DIR, 'sandbox-tls-cert.pem'),
      // Yahoo!ショッピング against the sandbox: a dev refresh token the sandbox registers and the worker uses (the sweep schedule starts with it)
      YAHOO_REFRESH_TOKEN: process.env.YAHOO_REFRESH_TOKEN ?? devSecret(env.DATA_DIR, 'yahoo-dev-refresh-token', () => `rt.dev.${randomBytes(18).toString('base64url')}`),
      // O-PLUX against the sandbox: a merchant the sandbox registers with the same id and secret
      OPLUX_SHOP_ID: process.env.OPLUX_SHOP_ID ?? 'RENKEI-DEV-OPLUX',
      OPLUX_SECRET_KEY: process.env.OPLUX_SECRET_KEY ?? devSecret(env.DATA_DIR, 'oplux-dev-secret', () => randomBytes(24).toString('hex')),
      // provider accounts are sealed with a dev key kept in .data/
      ACCOUNTS_KEYS: process.env.ACCOUNTS_KEYS ?? `dev:${devSecret(env.DATA_DIR, 'accounts-key', () => randomBytes(32).toString('base64'))}`,
      ACCOUNTS_KEY_ID: process.env.ACCOUNTS_KEYS ? process.env.ACCOUNTS_KEY_ID : 'dev',
      // payloads in Temporal (buyers' personal data among them) are encrypted with a dev key kept in .data/; the Web UI
      // decodes them through the API's codec endpoint, which it reaches over loopback without the API's token
      PAYLOAD_KEYS: process.env.PAYLOAD_KEYS ?? `dev:${devSecret(env.DATA_DIR, 'payload-key', () => randomBytes(32).toString('base64'))}`,
      PAYLOAD_KEY_ID: process.env.PAYLOAD_KEYS ? process.env.PAYLOAD_KEY_ID : 'dev',
      PAYLOAD_CODEC_TRUST_LOOPBACK: process.env.PAYLOAD_CODEC_TRUST_LOOPBACK ?? 'true',
    };

    step(`sandbox emulators on ${urls.display.sandbox}, SMTP sink on ${urls.display.smtp} (state: ${path.relative(ROOT, env.DATA_DIR)}/sandbox)`);
    const sandboxEnv = { ...shared, SANDBOX_STATE_DIR: process.env.SANDBOX_STATE_DIR ?? path.join(env.DATA_DIR, 'sandbox') };
    const sandbox = watch(() => startTsChild('sandbox', path.join(ROOT, 'sandbox/main.ts'), sandboxEnv));
    await waitFor('the sandbox', async () => (await fetch(`${urls.display.sandbox}/`)).ok, 60_000, sandbox.current());
    sandbox.ready();

    // bundled here, and again only when a workflow source changed: the worker (and each restart of it) loads the file
    const bundlePath = path.join(env.DATA_DIR, 'workflow-bundle.js');
    const bundle = await ensureWorkflowBundle(bundlePath);
    step(`workflow bundle ${path.relative(ROOT, bundlePath)} (${bundle.rebuilt ? 'built: new, or a workflow source changed' : 'up to date'})`);
    step('worker');
    let polling = false;
    // V8's heap capped at 1 GiB: garbage is collected before the RSS climbs (npm run bench:open-workflows, README)
    const workerEnv = { ...shared, WORKER_WORKFLOW_BUNDLE: process.env.WORKER_WORKFLOW_BUNDLE ?? bundlePath, NODE_OPTIONS: process.env.NODE_OPTIONS ?? '--max-old-space-size=1024' };
    const worker = watch(() => startTsChild('worker', path.join(ROOT, 'workers/main.ts'), workerEnv, (line) => {
      if (line.includes('worker polling')) polling = true;
    }));
    await waitFor('the worker', async () => polling, 120_000, worker.current());
    worker.ready();

    step(`API on ${urls.display.api}`);
    const api = watch(() => startTsChild('api', path.join(ROOT, 'api/main.ts'), shared));
    await waitFor('the API', async () => (await fetch(`${urls.display.api}/health`)).ok, 60_000, api.current());
    api.ready();

    process.stdout.write([
      '',
      'renkei is running:',
      `  API                    ${urls.display.api}   (bearer token: ${process.env.API_TOKEN ? 'API_TOKEN' : path.relative(ROOT, path.join(env.DATA_DIR, 'api-token'))})`,
      `  Operator console       ${urls.display.api}/console/   (sign in with an operator's token, or the bearer token above)`,
      `  Temporal Web UI        ${urls.display.temporalUi}   (payloads decoded by ${urls.display.codecEndpoint})`,
      `  Sandbox control plane  ${urls.display.sandbox}/{au-pay,amazon-pay,yahoo,oplux,gmo-pg,external-system}/_sandbox`,
      `  Amazon Pay over TLS    ${urls.display.sandboxTls}   (for the official SDK; certificate ${path.relative(ROOT, path.join(env.DATA_DIR, 'sandbox-tls-cert.pem'))})`,
      `  Mail sink              ${urls.display.mail}   (a page in a browser; SMTP ${urls.display.smtp})`,
      `  Metrics (Prometheus)   ${urls.display.apiMetrics}   ${urls.display.workerMetrics}   (the worker's includes the Temporal SDK's temporal_*)`,
      'Operators (roles viewer / operator / admin, each with their own token; the bearer token above is the bootstrap admin):',
      `  curl -s -X POST ${urls.display.api}/operators -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"name":"yamada","role":"operator"}'`,
      `  curl -s -X POST ${urls.display.api}/operators/<id>/tokens -H "authorization: Bearer $TOKEN"   (the token is shown once)`,
      'Ctrl-C stops everything; a part that dies is restarted.',
      '',
    ].join('\n'));
  } catch (err) {
    process.stderr.write(`start failed: ${(err as Error).message}\n`);
    await stopAll(1);
  }
}

/** A development secret, made once and kept in the git-ignored data folder, so it never enters the repo or the logs. */
function devSecret(dataDir: string, name: string, make: () => string): string {
  const file = path.join(dataDir, name);
  if (!existsSync(file)) writeFileSync(file, `${make()}\n`, { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/** A development Amazon Pay key pair, made once in the git-ignored data folder; the sandbox registers its public half. */
function devAmazonPayKey(dataDir: string): string {
  const file = path.join(dataDir, 'amazon-pay-dev-key.pem');
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
  }
  return file;
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
