import { constants, createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/** A KeyObject, or a PEM. */
export type KeyInput = KeyObject | string;

/**
 * Amazon Pay request signing, AMZN-PAY-RSASSA-PSS-V2 and the legacy AMZN-PAY-RSASSA-PSS (docs/providers/amazon-pay.md §2).
 * One implementation for our client and our emulator, so that the two can only agree with each other by both
 * following §2.1; the tests pin it to a hand-built canonical request and to the official SDK's signatures.
 */
export const SIGNATURE_ALGORITHMS = {
  'AMZN-PAY-RSASSA-PSS-V2': { saltLength: 32 },
  'AMZN-PAY-RSASSA-PSS': { saltLength: 20 },
} as const;
export type SignatureAlgorithm = keyof typeof SIGNATURE_ALGORITHMS;
export const DEFAULT_SIGNATURE_ALGORITHM: SignatureAlgorithm = 'AMZN-PAY-RSASSA-PSS-V2';

/** sha256 of zero bytes: the payload hash of a GET. */
export const EMPTY_PAYLOAD_HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export type QueryParams = Record<string, string> | ReadonlyArray<readonly [string, string]>;

/** `k=v` pairs, both encodeURIComponent'ed, sorted by key (then value), joined by `&`; "" without a query. */
export function canonicalQueryString(params?: QueryParams): string {
  const pairs: Array<readonly [string, string]> = !params ? [] : Array.isArray(params) ? [...(params as ReadonlyArray<readonly [string, string]>)] : Object.entries(params);
  return pairs
    .slice()
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}

/** hex sha256 of the exact body bytes: a string is taken as its UTF-8 bytes, as it goes on the wire. */
export function payloadHash(body: string | Uint8Array | undefined): string {
  return createHash('sha256').update(body ?? '').digest('hex');
}

export interface CanonicalRequestParts {
  method: string;
  /** the path exactly as sent (with any proxy prefix), starting with "/", without the query */
  path: string;
  query?: QueryParams;
  /**
   * The signed header names in the order and spelling of SignedHeaders. The names are lower-cased in the header
   * lines but kept as given in the signed-headers line: the official Node SDK sorts without lower-casing there.
   */
  signedHeaders: readonly string[];
  /** header values by lower-case name */
  headers: Readonly<Record<string, string | undefined>>;
  body?: string | Uint8Array;
}

/**
 * The canonical request of §2.1:
 * METHOD \n path \n query \n (name:value \n)* \n signed;headers \n hex(sha256(body)).
 * The blank line between the header lines and the signed-headers list comes from every header line ending in "\n".
 */
export function canonicalRequest(parts: CanonicalRequestParts): string {
  let out = `${parts.method}\n${parts.path}\n${canonicalQueryString(parts.query)}\n`;
  for (const name of parts.signedHeaders) out += `${name.toLowerCase()}:${(parts.headers[name.toLowerCase()] ?? '').trim()}\n`;
  return `${out}\n${parts.signedHeaders.join(';')}\n${payloadHash(parts.body)}`;
}

/** ALG \n hex(sha256(canonicalRequest)). */
export function stringToSign(algorithm: SignatureAlgorithm, canonical: string): string {
  return `${algorithm}\n${createHash('sha256').update(canonical, 'utf8').digest('hex')}`;
}

const pss = (key: KeyObject, algorithm: SignatureAlgorithm) => ({
  key,
  padding: constants.RSA_PKCS1_PSS_PADDING,
  saltLength: SIGNATURE_ALGORITHMS[algorithm].saltLength,
});

/** base64 RSASSA-PSS (SHA-256, MGF1-SHA-256) over the string to sign. */
export function signString(privateKey: KeyInput, algorithm: SignatureAlgorithm, toSign: string): string {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  return sign('sha256', Buffer.from(toSign, 'utf8'), pss(key, algorithm)).toString('base64');
}

/** False for a wrong signature, a wrong salt length, or a signature that is not even base64 of the right size. */
export function verifyString(publicKey: KeyInput, algorithm: SignatureAlgorithm, toSign: string, signatureBase64: string): boolean {
  try {
    const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
    return verify('sha256', Buffer.from(toSign, 'utf8'), pss(key, algorithm), Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}

export interface AuthorizationParts {
  algorithm: SignatureAlgorithm;
  publicKeyId: string;
  /** as listed in the header, in its order and spelling */
  signedHeaders: string[];
  signature: string;
}

/** The §2.3 pattern, unchanged. */
const AUTHORIZATION = /^(AMZN-PAY-RSASSA-PSS(?:-V2)?) PublicKeyId=([^,\s]+), SignedHeaders=([^,\s]+), Signature=(\S+)$/;

export function buildAuthorization(a: AuthorizationParts): string {
  return `${a.algorithm} PublicKeyId=${a.publicKeyId}, SignedHeaders=${a.signedHeaders.join(';')}, Signature=${a.signature}`;
}

export function parseAuthorization(header: string): AuthorizationParts | null {
  const m = AUTHORIZATION.exec(header);
  if (!m) return null;
  return { algorithm: m[1] as SignatureAlgorithm, publicKeyId: m[2]!, signedHeaders: m[3]!.split(';'), signature: m[4]! };
}

export interface SignRequestInput {
  method: string;
  path: string;
  query?: QueryParams;
  /** every header to sign, any case; all of them are signed, as the official SDK does */
  headers: Readonly<Record<string, string>>;
  body?: string | Uint8Array;
  publicKeyId: string;
  privateKey: KeyInput;
  algorithm?: SignatureAlgorithm;
}

export interface SignedRequest {
  /** the input headers, lower-cased, plus `authorization` */
  headers: Record<string, string>;
  canonicalRequest: string;
  stringToSign: string;
}

/** Signs a request: sorted lower-case header names, the canonical request, PSS, and the Authorization header. */
export function signRequest(input: SignRequestInput): SignedRequest {
  const algorithm = input.algorithm ?? DEFAULT_SIGNATURE_ALGORITHM;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers)) headers[name.toLowerCase()] = value;
  const signedHeaders = Object.keys(headers).sort();
  const canonical = canonicalRequest({ method: input.method, path: input.path, query: input.query, signedHeaders, headers, body: input.body });
  const toSign = stringToSign(algorithm, canonical);
  const signature = signString(input.privateKey, algorithm, toSign);
  headers.authorization = buildAuthorization({ algorithm, publicKeyId: input.publicKeyId, signedHeaders, signature });
  return { headers, canonicalRequest: canonical, stringToSign: toSign };
}

/** x-amz-pay-region values as the official SDKs send them: us is na, de and uk are eu. */
const API_REGION: Record<string, string> = { na: 'na', us: 'na', eu: 'eu', de: 'eu', uk: 'eu', jp: 'jp' };
export const apiRegion = (region: string): string => API_REGION[region.toLowerCase()] ?? region.toLowerCase();

/** x-amz-pay-date: basic yyyyMMddTHHmmssZ (docs, .NET) or extended yyyy-MM-ddTHH:mm:ssZ (the Node SDK). */
export function formatPayDate(at: Date, format: 'basic' | 'extended' = 'basic'): string {
  const extended = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return format === 'extended' ? extended : extended.replace(/[-:]/g, '');
}

/** Either format (and the extended one with fractions); null for anything else or an impossible date. */
export function parsePayDate(value: string): Date | null {
  const m =
    /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value) ??
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?Z$/.exec(value);
  if (!m) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`;
  const at = new Date(iso);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 19) === iso.slice(0, 19) ? at : null;
}

export interface PayHeadersInput {
  /** the bare API host, e.g. pay-api.amazon.jp */
  host: string;
  region: string;
  at?: Date;
  dateFormat?: 'basic' | 'extended';
  /** on POST only (§6) */
  idempotencyKey?: string;
}

/**
 * The headers the official SDKs send and sign on every call: accept, content-type, x-amz-pay-date, x-amz-pay-host,
 * x-amz-pay-region, and x-amz-pay-idempotency-key on POST. (The Node SDK also signs its user-agent; we do not need to.)
 */
export function amazonPayHeaders(input: PayHeadersInput): Record<string, string> {
  return {
    accept: 'application/json',
    'content-type': 'application/json',
    'x-amz-pay-date': formatPayDate(input.at ?? new Date(), input.dateFormat),
    'x-amz-pay-host': input.host,
    'x-amz-pay-region': apiRegion(input.region),
    ...(input.idempotencyKey !== undefined ? { 'x-amz-pay-idempotency-key': input.idempotencyKey } : {}),
  };
}

/**
 * Environment-specific keys (SANDBOX-…, LIVE-…) call /v2/… and the key decides the environment; other keys call
 * /sandbox/v2/… or /live/v2/… (Node `prepareOptions`, .NET `ApiUrlBuilder`).
 */
export function keyEnvironment(publicKeyId: string): 'sandbox' | 'live' | undefined {
  const m = /^(SANDBOX|LIVE)-/i.exec(publicKeyId);
  return m ? (m[1]!.toLowerCase() as 'sandbox' | 'live') : undefined;
}

/** The path before the resource: `/v2` for an environment-specific key, else `/sandbox/v2` or `/live/v2`. */
export function apiVersionPath(publicKeyId: string, environment: 'sandbox' | 'live'): string {
  return keyEnvironment(publicKeyId) ? '/v2' : `/${environment}/v2`;
}
