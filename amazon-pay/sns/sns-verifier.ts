import { verify as verifySignature, X509Certificate, type KeyObject } from 'node:crypto';
import { snsEnvelopeSchema, type SnsEnvelope } from './envelope';
import { snsStringToSign } from './string-to-sign';

export { parseAmazonPayIpnMessage, AmazonPayIpnMessageError, type AmazonPayIpnMessage } from './ipn-message';

/**
 * Verifies SNS envelopes (specs/amazon-pay-v2.md §7.3) as AWS's own validators do, with the certificate fetcher and
 * the trust policy injected: production trusts only AWS's SNS hosts over https, the sandbox trusts its own host.
 * Everything that can be decided locally is decided before any network call; a certificate is fetched only for a
 * URL the policy accepts.
 */
export type SnsVerificationReason =
  | 'malformed' // not JSON, not an object, or a field of the wrong type or value
  | 'missing-key'
  | 'unknown-signature-version'
  | 'topic-not-allowed'
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

/** Decides whether a SigningCertURL may be fetched at all: its scheme and host. */
export type CertUrlPolicy = (url: URL) => boolean;

const AWS_SNS_HOST = /^sns\.[a-zA-Z0-9-]{3,}\.amazonaws\.com(\.cn)?$/;

/** AWS's rule: https, an SNS host of amazonaws.com (or .com.cn), no other port, path ending in .pem. */
export const productionCertUrlPolicy: CertUrlPolicy = (url) =>
  url.protocol === 'https:' && url.port === '' && AWS_SNS_HOST.test(url.hostname) && url.pathname.endsWith('.pem');

/**
 * For the sandbox: hosts matching `pattern` (tested against the hostname, without the port), over https, or also over
 * plain http when `allowHttp` (the emulator on loopback). Anchor the pattern: /^127\.0\.0\.1$/, not /127.0.0.1/.
 */
export function hostPatternPolicy(pattern: RegExp, options: { allowHttp: boolean }): CertUrlPolicy {
  // A /g or /y regex keeps lastIndex between test() calls and would answer differently each time.
  const re = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  return (url) => (url.protocol === 'https:' || (options.allowHttp && url.protocol === 'http:')) && re.test(url.hostname);
}

export interface SnsVerifierOptions {
  /** GETs the PEM at a SigningCertURL; default: fetch with a 5 s timeout and no redirects */
  fetchCert?: (url: string) => Promise<string>;
  allowCertUrl: CertUrlPolicy;
  /** when given, any other TopicArn is refused */
  allowedTopicArns?: string[];
  /** certificates kept, by URL (default 20) */
  cacheSize?: number;
}

export interface SnsVerifier {
  /** The verified envelope; throws SnsVerificationError. `body` is the parsed JSON or its text. */
  verify(body: unknown): Promise<SnsEnvelope>;
}

const REQUIRED_KEYS = ['Message', 'MessageId', 'Timestamp', 'TopicArn', 'Type', 'Signature', 'SigningCertURL', 'SignatureVersion'];
const SUBSCRIPTION_KEYS = ['SubscribeURL', 'Token'];
/** SNS → Lambda payloads spell these differently; accept both, as sns-validator does. */
const LAMBDA_KEYS: Record<string, string> = { SigningCertUrl: 'SigningCertURL', UnsubscribeUrl: 'UnsubscribeURL' };
const MAX_CERT_CHARS = 64 * 1024;

export function createSnsVerifier(options: SnsVerifierOptions): SnsVerifier {
  const fetchCert = options.fetchCert ?? fetchCertificatePem;
  const cacheSize = Math.max(1, options.cacheSize ?? 20);
  const allowedTopics = options.allowedTopicArns ? new Set(options.allowedTopicArns) : undefined;
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
    async verify(body) {
      const envelope = parseEnvelope(body);
      if (allowedTopics && !allowedTopics.has(envelope.TopicArn)) {
        throw new SnsVerificationError('topic-not-allowed', `TopicArn ${envelope.TopicArn} is not allowed`);
      }
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
    throw new SnsVerificationError('bad-cert-url', `SigningCertURL ${JSON.stringify(value)} is not a URL`);
  }
  if (!url.pathname.endsWith('.pem')) throw new SnsVerificationError('bad-cert-url', `SigningCertURL ${value} does not name a .pem file`);
  if (url.username || url.password) throw new SnsVerificationError('bad-cert-url', 'SigningCertURL carries credentials');
  if (!allow(url)) throw new SnsVerificationError('untrusted-cert-url', `SigningCertURL ${value} is not trusted (scheme or host)`);
  return url.href;
}

async function loadPublicKey(fetchCert: (url: string) => Promise<string>, url: string): Promise<KeyObject> {
  let pem: string;
  try {
    pem = await fetchCert(url);
  } catch (err) {
    throw new SnsVerificationError('cert-unavailable', `certificate ${url}: ${err && typeof err === 'object' && 'message' in err ? String(err.message) : String(err)}`);
  }
  try {
    return new X509Certificate(pem).publicKey;
  } catch {
    throw new SnsVerificationError('cert-unavailable', `certificate ${url} is not a PEM X.509 certificate`);
  }
}

/**
 * The default fetcher. Redirects are refused: following one would fetch from a host the policy never saw.
 */
export async function fetchCertificatePem(url: string, timeoutMs = 5000): Promise<string> {
  const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  const text = await res.text();
  if (text.length > MAX_CERT_CHARS) throw new Error('the answer is too large to be a certificate');
  return text;
}
