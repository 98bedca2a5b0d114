import { readFileSync } from 'node:fs';
import https from 'node:https';
import { ConfigError } from '../../common/env';
import { CertFetchError, fetchCertificatePem, MAX_CERT_BYTES, type CertUrlPolicy } from './sns-verifier';

/**
 * renkei's own sandbox serves its SNS signing certificate over https on its TLS listener, as real SNS does, with a
 * certificate generated at its start. A verifier trusts that one base URL, and fetches from it trusting that one
 * certificate, beside whatever its own policy already trusts. Never in production (unless RENKEI_STAGING=true): there
 * it is a configuration error, as a provider URL left pointing at the sandbox is (common/sandbox-guard.ts).
 */
export interface SandboxCertTrustOptions {
  /** the https base the sandbox serves SigningCertURL under, e.g. https://127.0.0.1:7443/__sns/ */
  certBaseUrl: string;
  /** the sandbox's TLS certificate (PEM file, re-read on each fetch: a restarted sandbox makes a new one) */
  caFile: string;
  timeoutMs?: number;
}

export interface CertTrust {
  allowCertUrl: CertUrlPolicy;
  fetchCert: (url: string) => Promise<string>;
}

export function withSandboxCertTrust(base: CertTrust, sandbox: SandboxCertTrustOptions | undefined, env: NodeJS.ProcessEnv = process.env): CertTrust {
  if (!sandbox) return base;
  if (env.NODE_ENV === 'production' && env.RENKEI_STAGING !== 'true') {
    throw new ConfigError(`invalid configuration:\n  AMAZONPAY_IPN_SANDBOX_CERT_URL: ${sandbox.certBaseUrl} is renkei's sandbox; unset it, or set RENKEI_STAGING=true for a staging deployment`);
  }
  const root = new URL(sandbox.certBaseUrl);
  if (root.protocol !== 'https:') throw new ConfigError(`invalid configuration:\n  AMAZONPAY_IPN_SANDBOX_CERT_URL: must be an https URL`);
  const prefix = root.pathname.endsWith('/') ? root.pathname : `${root.pathname}/`;
  // same scheme, host and port, and under the base path: nothing else the sandbox host might serve
  const isSandbox = (url: URL) => url.protocol === 'https:' && url.host === root.host && url.pathname.startsWith(prefix) && !url.search;
  return {
    allowCertUrl: (url) => base.allowCertUrl(url) || isSandbox(url),
    fetchCert: (url) => (isSandbox(new URL(url)) ? fetchPinned(url, readFileSync(sandbox.caFile, 'utf8'), sandbox.timeoutMs ?? 5000) : base.fetchCert(url)),
  };
}

/** GET over https trusting `ca` only; no redirects, at most MAX_CERT_BYTES, errors in our own words. */
function fetchPinned(url: string, ca: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ca, timeout: timeoutMs }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return reject(new CertFetchError(`HTTP ${res.statusCode}`));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_CERT_BYTES) {
          req.destroy();
          reject(new CertFetchError(`larger than ${MAX_CERT_BYTES} bytes`));
        } else chunks.push(chunk);
      });
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', () => reject(new CertFetchError('the answer broke off')));
    });
    req.on('timeout', () => req.destroy(new CertFetchError(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => reject(err instanceof CertFetchError ? err : new CertFetchError('network error')));
  });
}

/** The default fetcher, for callers composing a trust from a policy alone. */
export const defaultCertTrust = (allowCertUrl: CertUrlPolicy): CertTrust => ({ allowCertUrl, fetchCert: (url) => fetchCertificatePem(url) });
