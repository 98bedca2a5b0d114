import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { z } from 'zod';
import { ConfigError, nonEmpty } from './env';

/**
 * How a process reaches a Temporal server beyond the dev server: mTLS (a client certificate and key, a CA for a
 * private server certificate) or an API key (Temporal Cloud), or both. None set: plain gRPC, as to the dev server or
 * the compose stack's server.
 */
export const temporalConnectionShape = {
  /** PEM client certificate and its key (mTLS): both or neither */
  TEMPORAL_TLS_CERT_FILE: nonEmpty().optional(),
  TEMPORAL_TLS_KEY_FILE: nonEmpty().optional(),
  /** PEM CA that signed the server's certificate, when not a public one */
  TEMPORAL_TLS_CA_FILE: nonEmpty().optional(),
  /** the name the server's certificate carries, when it is not TEMPORAL_ADDRESS's host */
  TEMPORAL_TLS_SERVER_NAME: nonEmpty().optional(),
  /** TLS without a client certificate (true); implied by any TLS file or an API key; false only for an API key over a plaintext proxy */
  TEMPORAL_TLS: z.enum(['true', 'false']).optional(),
  /** Temporal Cloud API key, sent as a bearer token */
  TEMPORAL_API_KEY: nonEmpty().optional(),
};

export type TemporalConnectionConfig = { TEMPORAL_ADDRESS: string } & {
  [K in keyof typeof temporalConnectionShape]?: string;
};

export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
}

/**
 * The options every connection to Temporal is made with (the worker's NativeConnection, its client's and the API's
 * Connection), from one configuration: one way to connect. A combination that cannot work is a ConfigError naming
 * the variables, at start rather than at the first call.
 */
export function temporalConnectionOptions(c: TemporalConnectionConfig, read: (file: string) => Buffer = readFileSync): TemporalConnectionOptions {
  const cert = c.TEMPORAL_TLS_CERT_FILE;
  const key = c.TEMPORAL_TLS_KEY_FILE;
  if (!!cert !== !!key) {
    throw new ConfigError(`invalid configuration:\n  ${cert ? 'TEMPORAL_TLS_KEY_FILE' : 'TEMPORAL_TLS_CERT_FILE'}: missing (mTLS needs both the client certificate and its key)`);
  }
  const tlsFiles = ['TEMPORAL_TLS_CERT_FILE', 'TEMPORAL_TLS_KEY_FILE', 'TEMPORAL_TLS_CA_FILE', 'TEMPORAL_TLS_SERVER_NAME'] as const;
  const tlsSettings = tlsFiles.filter((k) => c[k]);
  if (c.TEMPORAL_TLS === 'false' && tlsSettings.length) {
    throw new ConfigError(`invalid configuration:\n  TEMPORAL_TLS: false, but ${tlsSettings.join(', ')} ${tlsSettings.length > 1 ? 'are' : 'is'} set (TLS settings need TLS)`);
  }
  const file = (name: (typeof tlsFiles)[number]) => {
    const path = c[name];
    if (!path) return undefined;
    try {
      return read(path);
    } catch (err) {
      throw new ConfigError(`invalid configuration:\n  ${name}: cannot read ${path} (${(err as Error).message})`);
    }
  };
  let tls: TLSConfig | boolean | undefined;
  if (c.TEMPORAL_TLS === 'false') {
    tls = false; // said outright: the SDK would otherwise turn TLS on for an API key
  } else if (tlsSettings.length) {
    const crt = file('TEMPORAL_TLS_CERT_FILE');
    const ca = file('TEMPORAL_TLS_CA_FILE');
    tls = {
      ...(crt ? { clientCertPair: { crt, key: file('TEMPORAL_TLS_KEY_FILE')! } } : {}),
      ...(ca ? { serverRootCACertificate: ca } : {}),
      ...(c.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: c.TEMPORAL_TLS_SERVER_NAME } : {}),
    };
  } else if (c.TEMPORAL_TLS === 'true' || c.TEMPORAL_API_KEY) {
    tls = true; // the server's certificate checked against the system's CAs (Temporal Cloud's are public)
  }
  return {
    address: c.TEMPORAL_ADDRESS,
    ...(tls !== undefined ? { tls } : {}),
    ...(c.TEMPORAL_API_KEY ? { apiKey: c.TEMPORAL_API_KEY } : {}),
  };
}
