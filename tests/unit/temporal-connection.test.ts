import { ConfigError } from '../../common/env';
import { temporalConnectionOptions, type TemporalConnectionConfig } from '../../common/temporal-connection';
import { loadApiConfig, loadWorkerConfig } from '../../config';

/** The connection options the worker and the API connect with, from TEMPORAL_* variables; files read through a stub. */
const files: Record<string, string> = { '/tls/client.pem': 'CERT', '/tls/client.key': 'KEY', '/tls/ca.pem': 'CA' };
const read = (file: string) => {
  if (!(file in files)) throw new Error(`ENOENT: no such file, open '${file}'`);
  return Buffer.from(files[file]!);
};
const options = (c: Omit<TemporalConnectionConfig, 'TEMPORAL_ADDRESS'>) => temporalConnectionOptions({ TEMPORAL_ADDRESS: 'temporal.example:7233', ...c }, read);
const rejects = (c: Omit<TemporalConnectionConfig, 'TEMPORAL_ADDRESS'>, message: RegExp) => {
  expect(() => options(c)).toThrow(ConfigError);
  expect(() => options(c)).toThrow(message);
};

test('nothing set: plain gRPC to the address, as to the dev server', () => {
  expect(options({})).toEqual({ address: 'temporal.example:7233' });
});

test('mTLS: the client certificate pair, the CA and the server name', () => {
  expect(options({
    TEMPORAL_TLS_CERT_FILE: '/tls/client.pem', TEMPORAL_TLS_KEY_FILE: '/tls/client.key', TEMPORAL_TLS_CA_FILE: '/tls/ca.pem', TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
  })).toEqual({
    address: 'temporal.example:7233',
    tls: { clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from('KEY') }, serverRootCACertificate: Buffer.from('CA'), serverNameOverride: 'temporal.internal' },
  });
});

test('an API key turns TLS on against the system CAs (Temporal Cloud); TEMPORAL_TLS=false keeps it off', () => {
  expect(options({ TEMPORAL_API_KEY: 'k' })).toEqual({ address: 'temporal.example:7233', tls: true, apiKey: 'k' });
  expect(options({ TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: 'false' })).toEqual({ address: 'temporal.example:7233', tls: false, apiKey: 'k' });
  expect(options({ TEMPORAL_TLS: 'true' })).toEqual({ address: 'temporal.example:7233', tls: true });
});

test('combinations that cannot work are refused at start, naming the variable', () => {
  rejects({ TEMPORAL_TLS_CERT_FILE: '/tls/client.pem' }, /TEMPORAL_TLS_KEY_FILE: missing \(mTLS needs both/);
  rejects({ TEMPORAL_TLS_KEY_FILE: '/tls/client.key' }, /TEMPORAL_TLS_CERT_FILE: missing/);
  rejects({ TEMPORAL_TLS: 'false', TEMPORAL_TLS_CA_FILE: '/tls/ca.pem' }, /TEMPORAL_TLS: false, but TEMPORAL_TLS_CA_FILE is set/);
  rejects({ TEMPORAL_TLS_CA_FILE: '/tls/missing.pem' }, /TEMPORAL_TLS_CA_FILE: cannot read \/tls\/missing.pem/);
});

test('the worker and the API read the same variables', () => {
  const env = { DATABASE_URL: 'postgres://x/y', API_TOKEN: 'x'.repeat(16), TEMPORAL_API_KEY: 'k', TEMPORAL_TLS_SERVER_NAME: 'n' };
  for (const config of [loadWorkerConfig(env), loadApiConfig(env)]) {
    expect(config).toMatchObject({ TEMPORAL_API_KEY: 'k', TEMPORAL_TLS_SERVER_NAME: 'n' });
  }
  expect(() => loadWorkerConfig({ ...env, TEMPORAL_TLS: 'yes' })).toThrow(/TEMPORAL_TLS/);
});
