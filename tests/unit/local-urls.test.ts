import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadApiConfig, loadWorkerConfig } from '../../config';
import { DEFAULT_PORTS, localStackEnv, localUrls, type LocalPorts, type PortVariable } from '../../common/local-urls';

const ROOT = path.resolve(__dirname, '../..');
const DEFAULTS = Object.values(DEFAULT_PORTS);
/** every port moved: none of them equals any default */
const MOVED = Object.fromEntries(Object.entries(DEFAULT_PORTS).map(([name, p], i) => [name, 20_000 + i * 111 + (p % 100)])) as LocalPorts;
const portsOf = (text: string) => [...text.matchAll(/:(\d{2,5})(?=[/\s'"`]|$)/g)].map((m) => Number(m[1]));

/** Every string in a parsed configuration that names a host and port (URLs, host:port addresses). */
function addresses(config: Record<string, unknown>): Array<[string, string]> {
  return Object.entries(config).filter((e): e is [string, string] => typeof e[1] === 'string' && /(:\/\/|^[\w.-]+:\d+$)/.test(e[1]));
}

describe('every URL that follows a port', () => {
  it('the local stack environment follows every port and keeps no default port', () => {
    const env = localStackEnv(MOVED, {}, { shopId: 'shop-x' });
    for (const [name, value] of Object.entries(env)) {
      const ports = portsOf(value);
      expect({ name, ports }).toEqual({ name, ports: [expect.any(Number)] });
      expect({ name, defaultPort: DEFAULTS.filter((p) => ports.includes(p)) }).toEqual({ name, defaultPort: [] });
      expect(Object.values(MOVED)).toContain(ports[0]);
    }
    expect(env.YAHOO_API_BASE_URL).toBe(`http://127.0.0.1:${MOVED.SANDBOX_PORT}/yahoo/ShoppingWebService/V1`);
    expect(env.YAHOO_TOKEN_URL).toBe(`http://127.0.0.1:${MOVED.SANDBOX_PORT}/yahoo/yconnect/v2`);
    expect(env.SANDBOX_IPN_TARGET).toBe(`http://127.0.0.1:${MOVED.API_PORT}/shops/shop-x/amazon-pay/ipn`);
    expect(env.TEMPORAL_ADDRESS).toBe(`127.0.0.1:${MOVED.TEMPORAL_PORT}`);
    expect(env.DATABASE_URL).toBe(`postgres://postgres@127.0.0.1:${MOVED.PGLITE_PORT}/postgres`);
  });

  it('the worker and the API configured from it send nothing to a default port (Yahoo client secret and refresh token included)', () => {
    const env = { ...localStackEnv(MOVED, {}), API_TOKEN: 'local-urls-test-token-0123', YAHOO_REFRESH_TOKEN: 'rt.test', OPLUX_SHOP_ID: 'S' };
    for (const config of [loadWorkerConfig(env), loadApiConfig(env)] as Array<Record<string, unknown>>) {
      const found = addresses(config);
      expect(found.length).toBeGreaterThan(0);
      for (const [name, value] of found) {
        expect({ name, defaultPort: DEFAULTS.filter((p) => portsOf(value).includes(p)) }).toEqual({ name, defaultPort: [] });
      }
    }
    const worker = loadWorkerConfig(env);
    expect(new URL(worker.YAHOO_API_BASE_URL).port).toBe(String(MOVED.SANDBOX_PORT));
    expect(new URL(worker.YAHOO_TOKEN_URL).port).toBe(String(MOVED.SANDBOX_PORT));
  });

  it('a URL set explicitly is kept (a real provider, an external PostgreSQL)', () => {
    const env = localStackEnv(MOVED, { YAHOO_API_BASE_URL: 'https://circus.shopping.yahooapis.jp/ShoppingWebService/V1', DATABASE_URL: 'postgres://u@db:5432/x' });
    expect(env.YAHOO_API_BASE_URL).toBe('https://circus.shopping.yahooapis.jp/ShoppingWebService/V1');
    expect(env.DATABASE_URL).toBe('postgres://u@db:5432/x');
  });

  it('each printed address follows its own port', () => {
    const { display } = localUrls(MOVED);
    const expected: Record<keyof typeof display, PortVariable> = {
      api: 'API_PORT', codecEndpoint: 'API_PORT', temporalUi: 'TEMPORAL_UI_PORT', sandbox: 'SANDBOX_PORT', sandboxTls: 'SANDBOX_TLS_PORT', mail: 'SANDBOX_PORT', smtp: 'SMTP_PORT', pglite: 'PGLITE_PORT',
      apiMetrics: 'API_PORT', workerMetrics: 'WORKER_METRICS_PORT',
    };
    for (const [name, variable] of Object.entries(expected)) expect({ name, ports: portsOf(display[name as keyof typeof display]) }).toEqual({ name, ports: [MOVED[variable]] });
  });

  it('no source outside common/local-urls.ts builds a loopback URL with a port of its own', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const file = path.join(dir, entry);
        if (statSync(file).isDirectory()) walk(file);
        else if (file.endsWith('.ts') && file !== path.join(ROOT, 'common/local-urls.ts')) {
          readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
            if (/^\s*(\/\/|\*|\/\*)/.test(line)) return; // comments and examples
            if (/(127\.0\.0\.1|localhost):(\$\{|\d)/.test(line)) offenders.push(`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
          });
        }
      }
    };
    for (const dir of ['common', 'scripts', 'workers', 'api', 'sandbox', 'db']) walk(path.join(ROOT, dir));
    expect(offenders).toEqual([]);
  });
});
