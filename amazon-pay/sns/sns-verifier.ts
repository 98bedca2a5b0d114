import { verify as verifySignature, X509Certificate, type KeyObject } from 'node:crypto';
import { snsEnvelopeSchema, type SnsEnvelope } from './envelope';
import { snsStringToSign } from './string-to-sign';

export { parseAmazonPayIpnMessage, AmazonPayIpnMessageError, type AmazonPayIpnMessage } from './ipn-message';

/**
 * Verifies SNS envelopes (docs/providers/amazon-pay.md §7.3) as AWS's own validators do, with the certificate fetcher and
 * the trust policy injected: production trusts only AWS's SNS hosts over https, the sandbox trusts its own host.
 * Everything that can be decided locally is decided before any network call; a certificate is fetched only for a
 * URL the policy accepts.
 */
export type SnsVerificationReason =
  | 'malformed' // not JSON, not an object, or a field of the wrong type or value (a Timestamp that is not ISO 8601 UTC)
  | 'missing-key'
  | 'unknown-signature-version'
  | 'topic-not-allowed'
  | 'stale' // Timestamp older than the window, or further ahead than the allowed clock skew
  | 'bad-cert-url' // not a URL, or its path does not end in .pem
  | 'untrusted-cert-url' // scheme or host refused by the trust policy
  | 'cert-unavailable' // fetch failed, or the answer is not a certificate
  | 'bad-signature';

export class SnsVerificationError extends Error {
  override name = 'SnsVerificationError';
  constructor(
    readonly reason: SnsVerificationReason,
    message: string,
  ) {
    super(message);
  }
}

/** Decides whether a SigningCertURL may be fetched at all: its scheme, host and port. */
export type CertUrlPolicy = (url: URL) => boolean;

const AWS_SNS_HOST = /^sns\.[a-zA-Z0-9-]{3,}\.amazonaws\.com(\.cn)?$/;
/** AMAZONPAY_IPN_CERT_HOST's default: AWS's SNS hosts */
export const AWS_SNS_HOST_PATTERN = AWS_SNS_HOST.source;

/**
 * AWS's rule: https on its own port (443: `new URL` drops a default port, so any explicit port is another one), an SNS
 * host of amazonaws.com (or .com.cn), path ending in .pem.
 */
export const productionCertUrlPolicy: CertUrlPolicy = (url) =>
  url.protocol === 'https:' && url.port === '' && AWS_SNS_HOST.test(url.hostname) && url.pathname.endsWith('.pem');

/** The port a URL connects to: its own, or its scheme's default. */
const effectivePort = (url: URL): number => (url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80);

/**
 * Hosts matching `pattern` (tested against the hostname, without the port), over https, or also over plain http when
 * `allowHttp` (the emulator on loopback). With `ports`, only those ports (a scheme's default port counts as itself).
 * Anchor the pattern: /^127\.0\.0\.1$/, not /127.0.0.1/.
 */
export function hostPatternPolicy(pattern: RegExp, options: { allowHttp: boolean; ports?: readonly number[] }): CertUrlPolicy {
  // A /g or /y regex keeps lastIndex between test() calls and would answer differently each time.
  const re = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  const ports = options.ports ? new Set(options.ports) : undefined;
  return (url) =>
    (url.protocol === 'https:' || (options.allowHttp && url.protocol === 'http:')) && re.test(url.hostname) && (!ports || ports.has(effectivePort(url)));
}

/**
 * The API's policy from its configuration. Without plain http (production), https on port 443 only, whatever the host
 * pattern: with AWS's hosts that is exactly `productionCertUrlPolicy`. With plain http allowed (the sandbox on
 * loopback, development only), the named hosts on any port.
 */
export function certUrlPolicyFromConfig(config: { hostPattern: string; allowHttp: boolean }): CertUrlPolicy {
  if (!config.allowHttp && config.hostPattern === AWS_SNS_HOST_PATTERN) return productionCertUrlPolicy;
  return hostPatternPolicy(new RegExp(config.hostPattern), { allowHttp: config.allowHttp, ports: config.allowHttp ? undefined : [443] });
}

/** How far a message's Timestamp may be from now. */
export interface TimestampWindow {
  /** the oldest accepted, in ms before now */
  maxAgeMs: number;
  /** how far ahead of our clock a Timestamp may be (the sender's clock skew), in ms */
  maxSkewMs: number;
}

/**
 * The default window. A redelivery keeps the original MessageId, Timestamp and signature, so the window must cover the
 * whole retry schedule or a retried message is refused: SNS's HTTP/S delivery policy can retry for at most 3,600 s
 * (a hard limit; its default is 3 retries 20 s apart), and the only account of Amazon Pay v2 IPNs says "every hour for
 * the next 3 hours" (docs/providers/amazon-pay.md §7.2, unverified). 4 hours covers both with a margin. A replay inside the
 * window is stopped by the MessageId dedupe, which keeps ids far longer (db/ipn-messages.ts), so the window only has
 * to bound what the dedupe must remember. 5 minutes of skew covers clocks kept by NTP.
 */
export const DEFAULT_TIMESTAMP_WINDOW: TimestampWindow = { maxAgeMs: 4 * 3_600_000, maxSkewMs: 5 * 60_000 };

/** SNS writes `2026-11-22T03:04:05.678Z`: UTC, seconds, an optional fraction. */
const SNS_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

/** The Timestamp in ms, or undefined when it is not a real UTC instant written as SNS writes it (no Feb 30, no 24:00). */
export function parseSnsTimestamp(value: string): number | undefined {
  const m = SNS_TIMESTAMP.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s, Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3)));
  const back = new Date(ms);
  const same = back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d
    && back.getUTCHours() === h && back.getUTCMinutes() === mi && back.getUTCSeconds() === s;
  return same ? ms : undefined;
}

/** Throws SnsVerificationError unless `timestamp` is a well-formed instant inside the window around `now`. */
export function checkTimestamp(timestamp: string, now: number, window: TimestampWindow = DEFAULT_TIMESTAMP_WINDOW): void {
  const at = parseSnsTimestamp(timestamp);
  if (at === undefined) throw new SnsVerificationError('malformed', 'Timestamp is not an ISO 8601 UTC instant');
  if (at < now - window.maxAgeMs) throw new SnsVerificationError('stale', `Timestamp is more than ${window.maxAgeMs / 60_000} minutes old`);
  if (at > now + window.maxSkewMs) throw new SnsVerificationError('stale', `Timestamp is more than ${window.maxSkewMs / 60_000} minutes ahead of our clock`);
}

export interface SnsVerifierOptions {
  /** GETs the PEM at a SigningCertURL; default: fetch with a 5 s timeout and no redirects */
  fetchCert?: (url: string) => Promise<string>;
  allowCertUrl: CertUrlPolicy;
  /** when given, any other TopicArn is refused */
  allowedTopicArns?: string[];
  /** certificates kept, by URL (default 20) */
  cacheSize?: number;
  /** the accepted Timestamps (default DEFAULT_TIMESTAMP_WINDOW) */
  timestampWindow?: TimestampWindow;
  /** our clock, in ms (default Date.now) */
  now?: () => number;
}

export interface VerifyExpectations {
  /** the receiving shop's topics: any other TopicArn is refused (on top of the verifier's own allow-list) */
  topicArns?: readonly string[];
}

export interface SnsVerifier {
  /** The verified envelope; throws SnsVerificationError. `body` is the parsed JSON or its text. */
  verify(body: unknown, expect?: VerifyExpectations): Promise<SnsEnvelope>;
}

const REQUIRED_KEYS = ['Message', 'MessageId', 'Timestamp', 'TopicArn', 'Type', 'Signature', 'SigningCertURL', 'SignatureVersion'];
const SUBSCRIPTION_KEYS = ['SubscribeURL', 'Token'];
/** SNS → Lambda payloads spell these differently; accept both, as sns-validator does. */
const LAMBDA_KEYS: Record<string, string> = { SigningCertUrl: 'SigningCertURL', UnsubscribeUrl: 'UnsubscribeURL' };
/** A certificate (with its chain, in PEM) is a few KB; the fetch stops reading here and refuses. */
export const MAX_CERT_BYTES = 64 * 1024;

export function createSnsVerifier(options: SnsVerifierOptions): SnsVerifier {
  const fetchCert = options.fetchCert ?? fetchCertificatePem;
  const cacheSize = Math.max(1, options.cacheSize ?? 20);
  const allowedTopics = options.allowedTopicArns ? new Set(options.allowedTopicArns) : undefined;
  const window = options.timestampWindow ?? DEFAULT_TIMESTAMP_WINDOW;
  const now = options.now ?? Date.now;
  // Promises, so several messages arriving together share one fetch; least recently used goes first.
  const cache = new Map<string, Promise<KeyObject>>();

  function publicKeyFor(url: string): Promise<KeyObject> {
    const hit = cache.get(url);
    if (hit) {
      cache.delete(url);
      cache.set(url, hit);
      return hit;
    }
    const loading = loadPublicKey(fetchCert, url);
    cache.set(url, loading);
    if (cache.size > cacheSize) cache.delete(cache.keys().next().value as string);
    // A failed fetch is not remembered: the next message may find the certificate.
    loading.catch(() => {
      if (cache.get(url) === loading) cache.delete(url);
    });
    return loading;
  }

  return {
    async verify(body, expect = {}) {
      const envelope = parseEnvelope(body);
      if ((allowedTopics && !allowedTopics.has(envelope.TopicArn)) || (expect.topicArns && !expect.topicArns.includes(envelope.TopicArn))) {
        throw new SnsVerificationError('topic-not-allowed', `TopicArn ${bounded(envelope.TopicArn)} is not allowed`);
      }
      // Signed by SNS, so only its sender can have chosen it; checked before any fetch.
      checkTimestamp(envelope.Timestamp, now(), window);
      const certUrl = checkCertUrl(envelope.SigningCertURL, options.allowCertUrl);
      const key = await publicKeyFor(certUrl);
      let valid: boolean;
      try {
        valid = verifySignature(
          envelope.SignatureVersion === '1' ? 'sha1' : 'sha256',
          Buffer.from(snsStringToSign(envelope), 'utf8'),
          key,
          Buffer.from(envelope.Signature, 'base64'),
        );
      } catch {
        valid = false;
      }
      if (!valid) throw new SnsVerificationError('bad-signature', 'the message signature is invalid');
      return envelope;
    },
  };
}

function parseEnvelope(body: unknown): SnsEnvelope {
  let raw: unknown = body;
  if (Buffer.isBuffer(raw)) raw = raw.toString('utf8');
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw);
    } catch {
      throw new SnsVerificationError('malformed', 'the body is not JSON');
    }
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SnsVerificationError('malformed', 'the body is not a JSON object');
  }
  const fields: Record<string, unknown> = { ...raw };
  for (const [lambdaKey, key] of Object.entries(LAMBDA_KEYS)) {
    if (lambdaKey in fields && !(key in fields)) fields[key] = fields[lambdaKey];
  }
  if (fields.Subject === null) delete fields.Subject;

  const required = fields.Type === 'SubscriptionConfirmation' || fields.Type === 'UnsubscribeConfirmation'
    ? [...REQUIRED_KEYS, ...SUBSCRIPTION_KEYS]
    : REQUIRED_KEYS;
  const missing = required.filter((k) => fields[k] === undefined || fields[k] === null);
  if (missing.length) throw new SnsVerificationError('missing-key', `missing key${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
  if (fields.SignatureVersion !== '1' && fields.SignatureVersion !== '2') {
    throw new SnsVerificationError('unknown-signature-version', `SignatureVersion ${JSON.stringify(fields.SignatureVersion)} is not supported`);
  }
  const parsed = snsEnvelopeSchema.safeParse(fields);
  if (!parsed.success) {
    throw new SnsVerificationError('malformed', parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '));
  }
  return parsed.data;
}

function checkCertUrl(value: string, allow: CertUrlPolicy): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SnsVerificationError('bad-cert-url', `SigningCertURL ${bounded(value)} is not a URL`);
  }
  if (!url.pathname.endsWith('.pem')) throw new SnsVerificationError('bad-cert-url', `SigningCertURL ${bounded(value)} does not name a .pem file`);
  if (url.username || url.password) throw new SnsVerificationError('bad-cert-url', 'SigningCertURL carries credentials');
  if (!allow(url)) throw new SnsVerificationError('untrusted-cert-url', `SigningCertURL ${bounded(value)} is not trusted (scheme, host or port)`);
  return url.href;
}

/** A value from the request, quoted and cut short for an error message. */
function bounded(value: string, max = 200): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
}

/** A certificate fetch refused for a reason we name ourselves: its message never carries what the far side sent. */
export class CertFetchError extends Error {
  override name = 'CertFetchError';
}

async function loadPublicKey(fetchCert: (url: string) => Promise<string>, url: string): Promise<KeyObject> {
  let pem: string;
  try {
    pem = await fetchCert(url);
  } catch (err) {
    // Only our own wording: a network error's text can quote the far side.
    const why = err instanceof CertFetchError ? err.message : 'the fetch failed';
    throw new SnsVerificationError('cert-unavailable', `certificate ${bounded(url)}: ${why}`);
  }
  if (pem.length > MAX_CERT_BYTES) throw new SnsVerificationError('cert-unavailable', `certificate ${bounded(url)}: larger than ${MAX_CERT_BYTES} bytes`);
  try {
    return new X509Certificate(pem).publicKey;
  } catch {
    throw new SnsVerificationError('cert-unavailable', `certificate ${bounded(url)} is not a PEM X.509 certificate`);
  }
}

/**
 * The default fetcher. Redirects are refused: following one would fetch from a host the policy never saw. The body is
 * streamed and the fetch abandoned past `maxBytes`, so a far side sending without end costs at most that much.
 * Errors name the cause in our words only (status, size, timeout), never the body.
 */
export async function fetchCertificatePem(url: string, timeoutMs = 5000, maxBytes = MAX_CERT_BYTES): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const e = (err && typeof err === 'object' ? err : {}) as { name?: unknown; cause?: { code?: unknown } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new CertFetchError(`no answer within ${timeoutMs} ms`);
    throw new CertFetchError(typeof e.cause?.code === 'string' && /^[A-Z_]{1,40}$/.test(e.cause.code) ? `network error ${e.cause.code}` : 'network error');
  }
  if (res.status !== 200) {
    await res.body?.cancel().catch(() => undefined);
    throw new CertFetchError(`HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new CertFetchError(`larger than ${maxBytes} bytes`);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new CertFetchError(`larger than ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof CertFetchError) throw err;
    const e = (err && typeof err === 'object' ? err : {}) as { name?: unknown };
    throw new CertFetchError(e.name === 'TimeoutError' || e.name === 'AbortError' ? `no answer within ${timeoutMs} ms` : 'the answer broke off');
  }
  return Buffer.concat(chunks).toString('utf8');
}
