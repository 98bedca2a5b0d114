import type { IncomingHttpHeaders } from 'node:http';
import { canonicalRequest, keyEnvironment, parseAuthorization, parsePayDate, stringToSign, verifyString } from '../signature';
import { apiError, type ApiResult } from './api-result';
import type { PublicKeys } from './keys';
import type { ReleaseEnvironment } from './model';
import type { AmazonPaySettings } from './settings';

export interface RawRequest {
  method: string;
  /** the path exactly as received, proxy prefix included: what the client signed */
  path: string;
  /** the raw query string, without "?" */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** the env segment of the path, absent for /v2/… */
  pathEnvironment: 'sandbox' | 'live' | undefined;
  /** host:port values naming the listener the request came in on (the TLS listener), accepted as x-amz-pay-host */
  listenerHosts?: readonly string[];
}

export type Verification = { ok: true; publicKeyId: string; environment: ReleaseEnvironment } | { ok: false; error: ApiResult };

const REQUIRED_SIGNED = ['x-amz-pay-date', 'x-amz-pay-host'] as const;

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
};

const fail = (status: number, reasonCode: string, message: string): Verification => ({ ok: false, error: apiError(status, reasonCode, message) });

/** Query parameters decoded as the client had them before encodeURIComponent; "+" stays "+" (the SDKs send %20). */
function queryParams(raw: string): Array<[string, string]> {
  if (!raw) return [];
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return raw.split('&').filter(Boolean).map((pair) => {
    const i = pair.indexOf('=');
    return i < 0 ? [decode(pair), ''] : [decode(pair.slice(0, i)), decode(pair.slice(i + 1))];
  });
}

/**
 * Verifies a data-plane request as §2.3 describes: the Authorization header, the key and its environment, the
 * required signed headers, the date's skew and the host, then RSASSA-PSS over the canonical request rebuilt from the
 * raw method, path, query, the headers listed in SignedHeaders (trimmed) and the raw body bytes. Headers not listed
 * are not checked, so a client may add unsigned ones (user-agent, x-amz-pay-simulation-code).
 */
export function verifyRequest(req: RawRequest, keys: PublicKeys, settings: AmazonPaySettings, now: Date): Verification {
  const authorization = header(req.headers, 'authorization');
  if (authorization === undefined) return fail(400, 'MissingHeader', 'The authorization header is missing.');
  if (!authorization.trim()) return fail(400, 'MissingHeaderValue', 'The authorization header has no value.');
  const auth = parseAuthorization(authorization.trim());
  if (!auth) return fail(400, 'InvalidHeaderValue', 'The authorization header is not AMZN-PAY-RSASSA-PSS[-V2] PublicKeyId=…, SignedHeaders=…, Signature=….');

  for (const name of REQUIRED_SIGNED) {
    const value = header(req.headers, name);
    if (value === undefined) return fail(400, 'MissingHeader', `The ${name} header is missing.`);
    if (!value.trim()) return fail(400, 'MissingHeaderValue', `The ${name} header has no value.`);
  }
  const signed = auth.signedHeaders.map((h) => h.toLowerCase());
  for (const name of signed) {
    if (header(req.headers, name) === undefined) return fail(400, 'MissingHeader', `The signed header ${name} is missing.`);
  }

  const key = keys.get(auth.publicKeyId);
  if (!key) return fail(403, 'InvalidAuthentication', `The PublicKeyId ${auth.publicKeyId} is not known.`);
  // An environment-specific key decides the environment and must not be used on the other one (§1, §2.3).
  const keyEnv = keyEnvironment(auth.publicKeyId);
  if (keyEnv && req.pathEnvironment && keyEnv !== req.pathEnvironment) {
    return fail(403, 'InvalidAuthentication', `The PublicKeyId ${auth.publicKeyId} is a ${keyEnv} key and cannot call /${req.pathEnvironment}/.`);
  }
  const env = req.pathEnvironment ?? keyEnv;
  if (!env) return fail(403, 'InvalidAuthentication', `The PublicKeyId ${auth.publicKeyId} is not environment-specific: call /sandbox/v2/ or /live/v2/.`);

  for (const name of REQUIRED_SIGNED) {
    if (!signed.includes(name)) return fail(403, 'InvalidRequestSignature', `The ${name} header must be signed.`);
  }
  const date = parsePayDate(header(req.headers, 'x-amz-pay-date')!.trim());
  if (!date) return fail(400, 'InvalidHeaderValue', 'x-amz-pay-date must be yyyyMMddTHHmmssZ or yyyy-MM-ddTHH:mm:ssZ.');
  const within = (ref: number) => Math.abs(date.getTime() - ref) <= settings.clockSkewMs;
  if (!within(now.getTime()) && !(settings.acceptRealTimeDates && within(Date.now()))) {
    return fail(403, 'InvalidRequestSignature', 'x-amz-pay-date is outside the allowed clock skew.');
  }
  const host = header(req.headers, 'x-amz-pay-host')!.trim();
  // The official SDK pointed at the TLS listener (overrideServiceUrl) signs that listener's host:port: accepted there.
  const ownHost = req.listenerHosts?.some((h) => h.toLowerCase() === host.toLowerCase()) ?? false;
  if (settings.expectedHost !== null && !ownHost && host.toLowerCase() !== settings.expectedHost.toLowerCase()) {
    return fail(403, 'InvalidRequestSignature', `x-amz-pay-host must be ${settings.expectedHost}.`);
  }

  const values: Record<string, string> = {};
  for (const name of signed) values[name] = header(req.headers, name)!;
  const toSign = (headers: Record<string, string>) =>
    stringToSign(auth.algorithm, canonicalRequest({
      method: req.method, path: req.path, query: queryParams(req.rawQuery), signedHeaders: auth.signedHeaders, headers, body: req.body,
    }));
  // .NET collapses runs of whitespace inside values, Node does not: either spelling of a value is the signed one.
  const collapsed = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.trim().replace(/\s+/g, ' ')]));
  const valid = verifyString(key, auth.algorithm, toSign(values), auth.signature)
    || (JSON.stringify(collapsed) !== JSON.stringify(values) && verifyString(key, auth.algorithm, toSign(collapsed), auth.signature));
  if (!valid) return fail(403, 'InvalidRequestSignature', 'The request signature does not match.');
  return { ok: true, publicKeyId: auth.publicKeyId, environment: env === 'live' ? 'Live' : 'Sandbox' };
}
