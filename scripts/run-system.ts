import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { z } from 'zod';
import { parseEnv, port } from '../common/env';
import { registerSearchAttributes } from '../common/register-search-attributes';
import { temporalCliPath } from '../common/temporal-binaries';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { CLI_TYPE_NAMES, SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { assertPortFree, startChild, startTsChild, stopChild, waitFor, type Child } from './child-processes';

const ROOT = path.resolve(__dirname, '..');
const step = (message: string) => process.stdout.write(`▶ ${message}\n`);

/**
 * `npm start`: the whole system on this machine, in order: Temporal dev server (with Web UI), PostgreSQL
 * (embedded PGlite unless DATABASE_URL is set), migrations, sandbox emulators + SMTP sink, worker, API.
 * Ctrl-C stops every child, last started first.
 */
async function main() {
  const env = parseEnv({
    API_PORT: port(3000),
    TEMPORAL_PORT: port(7233),
    TEMPORAL_UI_PORT: port(8233),
    SANDBOX_PORT: port(7480),
    SMTP_PORT: port(2525),
    PGLITE_PORT: port(5433),
    SANDBOX_TLS_PORT: port(7443),
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
    DATA_DIR: z.string().default(path.join(ROOT, '.data')),
    TEMPORAL_NAMESPACE: z.string().default('default'),
  });
  mkdirSync(env.DATA_DIR, { recursive: true });

  const ports: Array<[number, string]> = [
    [env.TEMPORAL_PORT, 'TEMPORAL_PORT'], [env.TEMPORAL_UI_PORT, 'TEMPORAL_UI_PORT'], [env.SANDBOX_PORT, 'SANDBOX_PORT'],
    [env.SMTP_PORT, 'SMTP_PORT'], [env.SANDBOX_TLS_PORT, 'SANDBOX_TLS_PORT'], [env.API_PORT, 'API_PORT'], ...(env.DATABASE_URL ? [] : [[env.PGLITE_PORT, 'PGLITE_PORT'] as [number, string]]),
  ];
  for (const [p, name] of ports) await assertPortFree(p, name);

  const children: Child[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    step('stopping');
    for (const child of [...children].reverse()) await stopChild(child);
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  const watch = (child: Child) => {
    children.push(child);
    void child.exited.then((code) => {
      if (!stopping) {
        process.stderr.write(`${child.name} exited unexpectedly (code ${code}); stopping everything\n`);
        void stopAll(1);
      }
    });
    return child;
  };

  try {
    const temporalAddress = `127.0.0.1:${env.TEMPORAL_PORT}`;
    step(`Temporal dev server on ${temporalAddress} (data: ${path.relative(ROOT, env.DATA_DIR)}/temporal.db)`);
    const temporal = watch(startChild('temporal', temporalCliPath(), [
      'server', 'start-dev', '--ip', '127.0.0.1', '--port', String(env.TEMPORAL_PORT), '--ui-port', String(env.TEMPORAL_UI_PORT),
      '--db-filename', path.join(env.DATA_DIR, 'temporal.db'), '--namespace', env.TEMPORAL_NAMESPACE, '--log-level', 'error',
      '--ui-disable-news-fetch', ...SEARCH_ATTRIBUTES.flatMap((a) => ['--search-attribute', `${a.name}=${CLI_TYPE_NAMES[a.type]}`]),
    ], process.env));
    let connection: Connection | undefined;
    await waitFor('the Temporal server', async () => {
      connection = await Connection.connect({ address: temporalAddress, connectTimeout: 1000 });
      return true;
    }, 60_000, temporal);
    const added = await registerSearchAttributes(connection!, env.TEMPORAL_NAMESPACE);
    step(`search attributes ${SEARCH_ATTRIBUTES.map((a) => a.name).join(', ')} registered${added.length ? ` (added ${added.join(', ')})` : ''}`);
    await connection!.close();

    let databaseUrl = env.DATABASE_URL;
    if (!databaseUrl) {
      step(`embedded PostgreSQL (PGlite) on 127.0.0.1:${env.PGLITE_PORT} (data: ${path.relative(ROOT, env.DATA_DIR)}/pglite)`);
      const pglite = watch(startTsChild('pglite', path.join(ROOT, 'db/embedded-postgres-main.ts'), {
        ...process.env, PGLITE_PORT: String(env.PGLITE_PORT), PGLITE_DATA_DIR: path.join(env.DATA_DIR, 'pglite'),
      }));
      databaseUrl = `postgres://postgres@127.0.0.1:${env.PGLITE_PORT}/postgres`;
      const url = databaseUrl;
      await waitFor('PostgreSQL', async () => {
        const c = new PgClient({ connectionString: url });
        await c.connect();
        await c.end();
        return true;
      }, 60_000, pglite);
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
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: env.TEMPORAL_NAMESPACE,
      AUPAY_BASE_URL: process.env.AUPAY_BASE_URL ?? `http://127.0.0.1:${env.SANDBOX_PORT}/au-pay/wmshopapi`,
      SMTP_URL: process.env.SMTP_URL ?? `smtp://127.0.0.1:${env.SMTP_PORT}`,
      SANDBOX_PORT: String(env.SANDBOX_PORT),
      SMTP_PORT: String(env.SMTP_PORT),
      API_PORT: String(env.API_PORT),
      API_TOKEN: apiToken,
      // Amazon Pay against the sandbox: a dev key pair, and IPNs from the sandbox to our API, signed by its certificate.
      AMAZONPAY_PRIVATE_KEY_FILE: process.env.AMAZONPAY_PRIVATE_KEY_FILE ?? devAmazonPayKey(env.DATA_DIR),
      AMAZONPAY_BASE_URL: process.env.AMAZONPAY_BASE_URL ?? `http://127.0.0.1:${env.SANDBOX_PORT}/amazon-pay`,
      AMAZONPAY_IPN_CERT_HOST: process.env.AMAZONPAY_IPN_CERT_HOST ?? '^127\\.0\\.0\\.1$',
      AMAZONPAY_IPN_ALLOW_HTTP_CERT: process.env.AMAZONPAY_IPN_ALLOW_HTTP_CERT ?? 'true',
      SANDBOX_TLS_PORT: String(env.SANDBOX_TLS_PORT),
      SANDBOX_TLS_CERT_FILE: path.join(env.DATA_DIR, 'sandbox-tls-cert.pem'),
      SANDBOX_IPN_TARGET: process.env.SANDBOX_IPN_TARGET ?? `http://127.0.0.1:${env.API_PORT}/shops/${process.env.SHOP_ID ?? 'demo-shop'}/amazon-pay/ipn`,
      // Yahoo!ショッピング against the sandbox: a dev refresh token the sandbox registers and the worker uses (the sweep schedule starts with it)
      YAHOO_REFRESH_TOKEN: process.env.YAHOO_REFRESH_TOKEN ?? devSecret(env.DATA_DIR, 'yahoo-dev-refresh-token', () => `rt.dev.${randomBytes(18).toString('base64url')}`),
      // O-PLUX against the sandbox: a merchant the sandbox registers with the same id and secret
      OPLUX_SHOP_ID: process.env.OPLUX_SHOP_ID ?? 'RENKEI-DEV-OPLUX',
      OPLUX_EVENT_URL: process.env.OPLUX_EVENT_URL ?? `http://127.0.0.1:${env.SANDBOX_PORT}/oplux/v2/event`,
      OPLUX_NORMALIZER_URL: process.env.OPLUX_NORMALIZER_URL ?? `http://127.0.0.1:${env.SANDBOX_PORT}/oplux/name-normalizer/`,
      OPLUX_SECRET_KEY: process.env.OPLUX_SECRET_KEY ?? devSecret(env.DATA_DIR, 'oplux-dev-secret', () => randomBytes(24).toString('hex')),
      GMO_PG_BASE_URL: process.env.GMO_PG_BASE_URL ?? `http://127.0.0.1:${env.SANDBOX_PORT}/gmo-pg/payment/`,
      // provider accounts are sealed with a dev key kept in .data/
      ACCOUNTS_KEYS: process.env.ACCOUNTS_KEYS ?? `dev:${devSecret(env.DATA_DIR, 'accounts-key', () => randomBytes(32).toString('base64'))}`,
      ACCOUNTS_KEY_ID: process.env.ACCOUNTS_KEYS ? process.env.ACCOUNTS_KEY_ID : 'dev',
    };

    step(`sandbox emulators on http://127.0.0.1:${env.SANDBOX_PORT}, SMTP sink on 127.0.0.1:${env.SMTP_PORT}`);
    const sandbox = watch(startTsChild('sandbox', path.join(ROOT, 'sandbox/main.ts'), shared));
    await waitFor('the sandbox', async () => (await fetch(`http://127.0.0.1:${env.SANDBOX_PORT}/`)).ok, 60_000, sandbox);

    step('worker (bundling workflows)');
    let polling = false;
    const worker = watch(startTsChild('worker', path.join(ROOT, 'workers/main.ts'), shared, (line) => {
      if (line.includes('worker polling')) polling = true;
    }));
    await waitFor('the worker', async () => polling, 120_000, worker);

    step(`API on http://127.0.0.1:${env.API_PORT}`);
    const api = watch(startTsChild('api', path.join(ROOT, 'api/main.ts'), shared));
    await waitFor('the API', async () => (await fetch(`http://127.0.0.1:${env.API_PORT}/health`)).ok, 60_000, api);

    process.stdout.write([
      '',
      'renkei is running:',
      `  API                    http://127.0.0.1:${env.API_PORT}   (bearer token: ${process.env.API_TOKEN ? 'API_TOKEN' : path.relative(ROOT, path.join(env.DATA_DIR, 'api-token'))})`,
      `  Temporal Web UI        http://127.0.0.1:${env.TEMPORAL_UI_PORT}`,
      `  Sandbox control plane  http://127.0.0.1:${env.SANDBOX_PORT}/{au-pay,amazon-pay,yahoo,oplux,gmo-pg,external-system}/_sandbox`,
      `  Amazon Pay over TLS    https://127.0.0.1:${env.SANDBOX_TLS_PORT}   (for the official SDK; certificate ${path.relative(ROOT, path.join(env.DATA_DIR, 'sandbox-tls-cert.pem'))})`,
      `  Mail sink              http://127.0.0.1:${env.SANDBOX_PORT}/mail/messages   (SMTP 127.0.0.1:${env.SMTP_PORT})`,
      'Ctrl-C stops everything.',
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
