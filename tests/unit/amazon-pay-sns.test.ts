import { createSelfSignedCertificate } from '../../amazon-pay/sns/self-signed';
import { createSnsSigner, DEFAULT_SNS_TOPIC_ARN, type SnsSigner } from '../../amazon-pay/sns/sns-signer';
import { snsStringToSign } from '../../amazon-pay/sns/string-to-sign';
import {
  AmazonPayIpnMessageError, AWS_SNS_HOST_PATTERN, CertFetchError, certUrlPolicyFromConfig, checkTimestamp, createSnsVerifier,
  DEFAULT_TIMESTAMP_WINDOW, fetchCertificatePem, hostPatternPolicy, MAX_CERT_BYTES, parseAmazonPayIpnMessage, parseSnsTimestamp,
  productionCertUrlPolicy, SnsVerificationError, type SnsVerificationReason,
} from '../../amazon-pay/sns/sns-verifier';
import type { SnsEnvelope } from '../../amazon-pay/sns/envelope';
import { until } from '../support/until';

/** SNS signatures: the string-to-sign, our signer against our verifier, the trust policies and the IPN message. */
const CERT_URL = 'https://sns.ap-northeast-1.amazonaws.com/SimpleNotificationService-abc.pem';
const UNSUBSCRIBE_URL = 'https://sns.ap-northeast-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=x';
const MESSAGE = JSON.stringify({ MerchantID: 'M1', ObjectType: 'CHARGE', ObjectId: 'S01-1', ChargePermissionId: 'S01-0', NotificationType: 'STATE_CHANGE', NotificationId: 'n', NotificationVersion: 'V2' });

let signer: SnsSigner;
let pem: string;
beforeAll(async () => {
  signer = createSnsSigner();
  pem = await signer.certificatePem();
});

const notification = (version: '1' | '2' = '2', extra: { subject?: string } = {}) =>
  signer.notification({ message: MESSAGE, signatureVersion: version, signingCertUrl: CERT_URL, unsubscribeUrl: UNSUBSCRIBE_URL, ...extra });
const verifierWith = (options: Partial<Parameters<typeof createSnsVerifier>[0]> = {}) => {
  const fetchCert = jest.fn(async (_url: string) => pem);
  return { fetchCert, verifier: createSnsVerifier({ fetchCert, allowCertUrl: productionCertUrlPolicy, ...options }) };
};
const reasonOf = (p: Promise<unknown>): Promise<SnsVerificationReason> =>
  p.then(
    () => { throw new Error('expected a rejection'); },
    (e: unknown) => {
      if (!(e instanceof SnsVerificationError)) throw e;
      return e.reason;
    },
  );

describe('string to sign', () => {
  const base = { Message: 'm', MessageId: 'id', Timestamp: 't', TopicArn: 'arn', Type: 'Notification' as const };
  test('a Notification signs Subject only when present, in AWS key order', () => {
    expect(snsStringToSign(base)).toBe('Message\nm\nMessageId\nid\nTimestamp\nt\nTopicArn\narn\nType\nNotification\n');
    expect(snsStringToSign({ ...base, Subject: 's' })).toBe('Message\nm\nMessageId\nid\nSubject\ns\nTimestamp\nt\nTopicArn\narn\nType\nNotification\n');
  });
  test('the subscription types sign SubscribeURL and Token, and need them', () => {
    expect(snsStringToSign({ ...base, Type: 'SubscriptionConfirmation', SubscribeURL: 'u', Token: 'k', Subject: 'ignored' }))
      .toBe('Message\nm\nMessageId\nid\nSubscribeURL\nu\nTimestamp\nt\nToken\nk\nTopicArn\narn\nType\nSubscriptionConfirmation\n');
    expect(() => snsStringToSign({ ...base, Type: 'UnsubscribeConfirmation', SubscribeURL: 'u' })).toThrow('without Token');
  });
});

describe('sign and verify', () => {
  test.each(['1', '2'] as const)('SignatureVersion %s: a full Notification verifies, as an object and as text', async (version) => {
    const env = await notification(version);
    expect(Object.keys(env)).toEqual(['Type', 'MessageId', 'TopicArn', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL']);
    expect(env).toMatchObject({ Type: 'Notification', TopicArn: DEFAULT_SNS_TOPIC_ARN, Message: MESSAGE, SignatureVersion: version, SigningCertURL: CERT_URL, UnsubscribeURL: UNSUBSCRIBE_URL });
    expect(env.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(env.Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const { verifier, fetchCert } = verifierWith();
    await expect(verifier.verify(env)).resolves.toEqual(env);
    await expect(verifier.verify(JSON.stringify(env))).resolves.toEqual(env);
    expect(fetchCert).toHaveBeenCalledWith(CERT_URL);
  });

  test('a subscription confirmation round-trips too', async () => {
    const env = await signer.sign({
      Type: 'SubscriptionConfirmation', MessageId: 'm-1', TopicArn: DEFAULT_SNS_TOPIC_ARN, Message: 'You have chosen to subscribe',
      Timestamp: '2026-11-22T03:04:05.678Z', SigningCertURL: CERT_URL, SubscribeURL: 'https://example.test/confirm', Token: 'tok',
    }, '1');
    await expect(verifierWith({ now: () => Date.parse('2026-11-22T03:05:00Z') }).verifier.verify(env)).resolves.toMatchObject({ Token: 'tok' });
  });

  const tampered: Array<[string, (e: SnsEnvelope) => SnsEnvelope]> = [
    ['Message', (e) => ({ ...e, Message: e.Message.replace('S01-1', 'S01-2') })],
    ['Subject', (e) => ({ ...e, Subject: 'other' })],
    ['Subject (removed)', ({ Subject: _s, ...e }) => e],
    ['TopicArn', (e) => ({ ...e, TopicArn: `${e.TopicArn}-evil` })],
    ['MessageId', (e) => ({ ...e, MessageId: 'replayed' })],
    ['Timestamp', (e) => ({ ...e, Timestamp: new Date(Date.parse(e.Timestamp) + 1000).toISOString() })],
    ['SignatureVersion', (e) => ({ ...e, SignatureVersion: e.SignatureVersion === '2' ? '1' : '2' })],
  ];
  test.each(tampered)('%s tampered with: a bad signature', async (_name, change) => {
    for (const version of ['1', '2'] as const) {
      const env = await notification(version, { subject: 'AMAZON_PAY_IPN' });
      await expect(verifierWith().verifier.verify(env)).resolves.toBeDefined();
      expect(await reasonOf(verifierWith().verifier.verify(change(env)))).toBe('bad-signature');
    }
  });

  test('a Subject added to a message signed without one is a bad signature', async () => {
    const env = await notification();
    expect(await reasonOf(verifierWith().verifier.verify({ ...env, Subject: 'x' }))).toBe('bad-signature');
  });

  test('a certificate of another key is a bad signature', async () => {
    const other = await createSelfSignedCertificate({ commonName: 'other' });
    const { verifier } = verifierWith({ fetchCert: async () => other.certificatePem });
    expect(await reasonOf(verifier.verify(await notification()))).toBe('bad-signature');
  });

  test('missing keys, an unknown SignatureVersion, bodies that are not envelopes', async () => {
    const env = await notification();
    const { verifier, fetchCert } = verifierWith();
    const { Signature: _s, SigningCertURL: _c, ...unsigned } = env;
    const err = await verifier.verify(unsigned).catch((e: unknown) => e as SnsVerificationError);
    expect(err).toMatchObject({ reason: 'missing-key', message: 'missing keys: Signature, SigningCertURL' });
    expect(await reasonOf(verifier.verify({ ...env, Type: 'SubscriptionConfirmation' }))).toBe('missing-key');
    expect(await reasonOf(verifier.verify({ ...env, SignatureVersion: '3' }))).toBe('unknown-signature-version');
    expect(await reasonOf(verifier.verify({ ...env, SignatureVersion: 2 }))).toBe('unknown-signature-version');
    expect(await reasonOf(verifier.verify({ ...env, Type: 'Surprise' }))).toBe('malformed');
    expect(await reasonOf(verifier.verify({ ...env, Message: { nested: true } }))).toBe('malformed');
    expect(await reasonOf(verifier.verify('{not json'))).toBe('malformed');
    expect(await reasonOf(verifier.verify([env]))).toBe('malformed');
    expect(await reasonOf(verifier.verify(null))).toBe('malformed');
    expect(fetchCert).not.toHaveBeenCalled();
  });

  test('the Lambda spelling SigningCertUrl and a null Subject are accepted', async () => {
    const { SigningCertURL, ...env } = await notification();
    await expect(verifierWith().verifier.verify({ ...env, SigningCertUrl: SigningCertURL, Subject: null })).resolves.toMatchObject({ SigningCertURL });
  });
});

describe('trust policy: nothing is fetched from a URL it refuses', () => {
  test.each([
    ['https://sns.evil.com/SimpleNotificationService-abc.pem', 'untrusted-cert-url'],
    ['http://sns.ap-northeast-1.amazonaws.com/SimpleNotificationService-abc.pem', 'untrusted-cert-url'],
    ['https://sns.ap-northeast-1.amazonaws.com.evil.com/SimpleNotificationService-abc.pem', 'untrusted-cert-url'],
    ['https://sns.ap-northeast-1.amazonaws.com@evil.com/SimpleNotificationService-abc.pem', 'bad-cert-url'], // credentials: refused outright
    ['https://sns.ap-northeast-1.amazonaws.com/SimpleNotificationService-abc.txt', 'bad-cert-url'],
    ['https://sns.ap-northeast-1.amazonaws.com/cert?x=.pem', 'bad-cert-url'],
    ['not a url', 'bad-cert-url'],
  ])('%s → %s', async (url, reason) => {
    const env = await signer.notification({ message: MESSAGE, signatureVersion: '2', signingCertUrl: url, unsubscribeUrl: UNSUBSCRIBE_URL });
    const { verifier, fetchCert } = verifierWith();
    expect(await reasonOf(verifier.verify(env))).toBe(reason);
    expect(fetchCert).not.toHaveBeenCalled();
  });

  test('a topic outside the allow-list is refused before any fetch', async () => {
    const { verifier, fetchCert } = verifierWith({ allowedTopicArns: ['arn:aws:sns:ap-northeast-1:1:other'] });
    expect(await reasonOf(verifier.verify(await notification()))).toBe('topic-not-allowed');
    expect(fetchCert).not.toHaveBeenCalled();
    const allowing = verifierWith({ allowedTopicArns: [DEFAULT_SNS_TOPIC_ARN] });
    await expect(allowing.verifier.verify(await notification())).resolves.toBeDefined();
  });

  const url = (s: string) => new URL(s);
  test('the production policy is AWS\'s rule', () => {
    expect(productionCertUrlPolicy(url(CERT_URL))).toBe(true);
    expect(productionCertUrlPolicy(url('https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem'))).toBe(true);
    for (const bad of [
      'https://sns.evil.com/SimpleNotificationService-abc.pem',
      'http://sns.ap-northeast-1.amazonaws.com/SimpleNotificationService-abc.pem',
      'https://sns.ap-northeast-1.amazonaws.com.evil.com/SimpleNotificationService-abc.pem',
      'https://sns.ap-northeast-1.amazonaws.com/SimpleNotificationService-abc',
      'https://sns.ap-northeast-1.amazonaws.com:8443/SimpleNotificationService-abc.pem',
      'https://sns.xy.amazonaws.com/SimpleNotificationService-abc.pem',
      'https://evilsns.ap-northeast-1.amazonaws.com/SimpleNotificationService-abc.pem',
    ]) expect([bad, productionCertUrlPolicy(url(bad))]).toEqual([bad, false]);
  });

  test('hostPatternPolicy: the hostname without port, http only when allowed, a /g pattern stays stable', () => {
    const loopback = hostPatternPolicy(/^127\.0\.0\.1$/g, { allowHttp: true });
    expect([1, 2, 3].map(() => loopback(url('http://127.0.0.1:7480/__sns/a.pem')))).toEqual([true, true, true]);
    expect(loopback(url('https://127.0.0.1/a.pem'))).toBe(true);
    expect(loopback(url('http://127.0.0.2/a.pem'))).toBe(false);
    expect(loopback(url('ftp://127.0.0.1/a.pem'))).toBe(false);
    expect(hostPatternPolicy(/^127\.0\.0\.1$/, { allowHttp: false })(url('http://127.0.0.1/a.pem'))).toBe(false);
  });
});

describe('certificate cache', () => {
  test('one fetch for several messages, concurrent or not; one per URL', async () => {
    const { verifier, fetchCert } = verifierWith();
    const envs = await Promise.all([notification(), notification('1'), notification()]);
    await Promise.all(envs.map((e) => verifier.verify(e)));
    await verifier.verify(await notification());
    expect(fetchCert).toHaveBeenCalledTimes(1);
    const otherUrl = CERT_URL.replace('-abc', '-def');
    await verifier.verify(await signer.notification({ message: '{}', signatureVersion: '2', signingCertUrl: otherUrl, unsubscribeUrl: UNSUBSCRIBE_URL }));
    expect(fetchCert.mock.calls.map(([u]) => u)).toEqual([CERT_URL, otherUrl]);
  });

  test('bounded: the least recently used URL is fetched again', async () => {
    const { verifier, fetchCert } = verifierWith({ cacheSize: 1 });
    const at = (n: string) => signer.notification({ message: '{}', signatureVersion: '2', signingCertUrl: CERT_URL.replace('abc', n), unsubscribeUrl: '' });
    for (const n of ['a', 'b', 'a']) await verifier.verify(await at(n));
    expect(fetchCert).toHaveBeenCalledTimes(3);
  });

  test('a failed fetch is not cached; a body that is not a certificate is refused', async () => {
    const fetchCert = jest.fn<Promise<string>, [string]>()
      .mockRejectedValueOnce(new CertFetchError('HTTP 503')).mockRejectedValueOnce(new Error('connect to 10.0.0.1: secret banner'))
      .mockResolvedValueOnce('<html>').mockResolvedValue(pem);
    const verifier = createSnsVerifier({ fetchCert, allowCertUrl: productionCertUrlPolicy });
    const env = await notification();
    await expect(verifier.verify(env)).rejects.toMatchObject({ reason: 'cert-unavailable', message: expect.stringContaining('HTTP 503') });
    // an error in words we did not write is not repeated: it may quote the far side
    await expect(verifier.verify(env)).rejects.toMatchObject({ reason: 'cert-unavailable', message: expect.not.stringContaining('banner') });
    expect(await reasonOf(verifier.verify(env))).toBe('cert-unavailable');
    await expect(verifier.verify(env)).resolves.toBeDefined();
    expect(fetchCert).toHaveBeenCalledTimes(4);
  });
});

describe('the Amazon Pay IPN message', () => {
  const expected = { merchantId: 'M1', objectType: 'CHARGE', objectId: 'S01-1', chargePermissionId: 'S01-0', notificationType: 'STATE_CHANGE', notificationId: 'n', notificationVersion: 'V2' };
  test('PascalCase, camelCase and any other case', () => {
    expect(parseAmazonPayIpnMessage(MESSAGE)).toEqual(expected);
    expect(parseAmazonPayIpnMessage(JSON.stringify({ merchantID: 'M1', objectType: 'CHARGE', objectId: 'S01-1', chargePermissionId: 'S01-0', notificationType: 'STATE_CHANGE', notificationId: 'n', notificationVersion: 'V2' }))).toEqual(expected);
    expect(parseAmazonPayIpnMessage(JSON.stringify({ MERCHANTID: 'M1', objecttype: 'REFUND', ObjectID: 'S01-1-R', ChargePermissionID: 'S01-0', NotificationType: 'STATE_CHANGE', Extra: 1 })))
      .toEqual({ merchantId: 'M1', objectType: 'REFUND', objectId: 'S01-1-R', chargePermissionId: 'S01-0', notificationType: 'STATE_CHANGE' });
  });
  test('an ObjectType we do not know yet still parses', () => {
    expect(parseAmazonPayIpnMessage(MESSAGE.replace('"CHARGE"', '"DISPUTE"')).objectType).toBe('DISPUTE');
  });
  test('bad input names the problem', () => {
    const err = (() => { try { parseAmazonPayIpnMessage(JSON.stringify({ MerchantID: 'M1', ObjectType: 'CHARGE', ObjectId: 7 })); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(AmazonPayIpnMessageError);
    expect((err as AmazonPayIpnMessageError).issues.map((i) => i.field)).toEqual(['objectId', 'chargePermissionId', 'notificationType']);
    expect(() => parseAmazonPayIpnMessage('not json')).toThrow('the IPN Message is not JSON');
    expect(() => parseAmazonPayIpnMessage('[]')).toThrow('not a JSON object');
  });
});

describe('the Timestamp window', () => {
  const NOW = Date.parse('2026-11-22T03:04:05.678Z');
  const at = (ms: number) => new Date(NOW + ms).toISOString();
  const reason = (timestamp: string): SnsVerificationReason | 'ok' => {
    try {
      checkTimestamp(timestamp, NOW);
      return 'ok';
    } catch (e) {
      if (!(e instanceof SnsVerificationError)) throw e;
      return e.reason;
    }
  };

  test('inside the window: now, 4 hours old (SNS retry schedules), up to 5 minutes ahead (clock skew)', () => {
    expect(DEFAULT_TIMESTAMP_WINDOW).toEqual({ maxAgeMs: 4 * 3_600_000, maxSkewMs: 5 * 60_000 });
    for (const t of [at(0), at(-3_600_000), at(-4 * 3_600_000), at(5 * 60_000), '2026-11-22T03:04:05Z', '2026-11-22T03:04:05.678901Z']) expect([t, reason(t)]).toEqual([t, 'ok']);
  });

  test('older than the window or too far ahead: stale', () => {
    for (const t of [at(-4 * 3_600_000 - 1), at(-86_400_000 * 30), at(5 * 60_000 + 1), '2030-01-01T00:00:00.000Z']) expect([t, reason(t)]).toEqual([t, 'stale']);
  });

  test('not an ISO 8601 UTC instant as SNS writes it: malformed', () => {
    for (const t of [
      '', 'yesterday', '1764471845678', '2026-11-22 03:04:05Z', '2026-11-22T03:04:05', '2026-11-22T03:04:05+09:00', '2026-02-30T00:00:00Z',
      '2026-13-01T00:00:00Z', '2026-11-22T24:00:00Z', '2026-11-22T03:60:00Z', ' 2026-11-22T03:04:05Z', '2026-11-22T03:04:05.Z',
    ]) expect([t, reason(t)]).toEqual([t, 'malformed']);
    expect(parseSnsTimestamp('2026-11-22T03:04:05.678Z')).toBe(NOW);
  });

  test('the verifier refuses a stale or malformed Timestamp before fetching anything; a fresh one passes', async () => {
    const env = await signer.notification({ message: MESSAGE, signatureVersion: '2', signingCertUrl: CERT_URL, unsubscribeUrl: UNSUBSCRIBE_URL, timestamp: new Date(NOW) });
    const later = (ms: number) => verifierWith({ now: () => NOW + ms });
    const stale = later(4 * 3_600_000 + 1);
    expect(await reasonOf(stale.verifier.verify(env))).toBe('stale');
    expect(stale.fetchCert).not.toHaveBeenCalled();
    const early = later(-5 * 60_000 - 1);
    expect(await reasonOf(early.verifier.verify(env))).toBe('stale');
    const malformed = later(0);
    expect(await reasonOf(malformed.verifier.verify({ ...env, Timestamp: 'Sun, 22 Nov 2026 03:04:05 GMT' }))).toBe('malformed');
    expect(malformed.fetchCert).not.toHaveBeenCalled();
    await expect(later(3_600_000).verifier.verify(env)).resolves.toEqual(env);
  });

  test('the topics a call expects: any other TopicArn is refused before any fetch', async () => {
    const { verifier, fetchCert } = verifierWith();
    const env = await notification();
    expect(await reasonOf(verifier.verify(env, { topicArns: ['arn:aws:sns:ap-northeast-1:1:other'] }))).toBe('topic-not-allowed');
    expect(await reasonOf(verifier.verify(env, { topicArns: [] }))).toBe('topic-not-allowed');
    expect(fetchCert).not.toHaveBeenCalled();
    await expect(verifier.verify(env, { topicArns: [DEFAULT_SNS_TOPIC_ARN] })).resolves.toEqual(env);
  });
});

describe('the certificate fetch', () => {
  const http = jest.requireActual<typeof import('node:http')>('node:http');
  let server: import('node:http').Server;
  let base = '';
  /** bytes each path sends; "endless" writes until the client goes away; "liar" declares a small length */
  const sent: Record<string, number> = {};
  const closed: Record<string, boolean> = {};
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const path = req.url ?? '';
      sent[path] = 0;
      const write = (chunk: string) => {
        sent[path] = (sent[path] ?? 0) + chunk.length;
        return res.write(chunk);
      };
      if (path === '/ok.pem') return void res.end(pem);
      if (path === '/big.pem') {
        res.writeHead(200, { 'content-length': String(MAX_CERT_BYTES + 1) });
        return void res.end('x'.repeat(MAX_CERT_BYTES + 1));
      }
      if (path === '/endless.pem') {
        res.writeHead(200, { 'content-type': 'application/x-pem-file' });
        // never ends: only a reader that stops can finish
        res.once('close', () => (closed[path] = true));
        const pump = () => {
          while (!res.destroyed && write(`SECRET-FAR-SIDE-${'y'.repeat(1000)}\n`));
          if (!res.destroyed) res.once('drain', pump);
        };
        return pump();
      }
      if (path === '/error.pem') return void res.writeHead(500).end('SECRET-FAR-SIDE stack trace');
      if (path === '/html.pem') return void res.end('<html>SECRET-FAR-SIDE</html>');
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  test('a certificate is read', async () => {
    expect(await fetchCertificatePem(`${base}/ok.pem`)).toBe(pem);
  });

  test('over 64 KB: refused by its declared length, or by counting when it streams without one, and the stream stops', async () => {
    await expect(fetchCertificatePem(`${base}/big.pem`)).rejects.toThrow(`larger than ${MAX_CERT_BYTES} bytes`);
    // an endless body: reading it all would end in the 5 s timeout, never in this refusal
    await expect(fetchCertificatePem(`${base}/endless.pem`)).rejects.toThrow(`larger than ${MAX_CERT_BYTES} bytes`);
    await until(() => closed['/endless.pem'], 5000, 20); // the connection was dropped, not left draining
  });

  test('through the verifier: refused as cert-unavailable, and no refusal echoes what the far side sent', async () => {
    const verifier = createSnsVerifier({ allowCertUrl: hostPatternPolicy(/^127\.0\.0\.1$/, { allowHttp: true }) });
    for (const file of ['endless.pem', 'big.pem', 'error.pem', 'html.pem']) {
      const env = await signer.notification({ message: MESSAGE, signatureVersion: '2', signingCertUrl: `${base}/${file}`, unsubscribeUrl: UNSUBSCRIBE_URL });
      const err = (await verifier.verify(env).catch((e: unknown) => e)) as SnsVerificationError;
      expect([file, err.reason]).toEqual([file, 'cert-unavailable']);
      expect(err.message).not.toContain('SECRET');
      expect(err.message).not.toContain('yyyy');
    }
  });

  test('the injected fetcher is held to 64 KB too', async () => {
    const verifier = createSnsVerifier({ allowCertUrl: productionCertUrlPolicy, fetchCert: async () => `${pem}${' '.repeat(MAX_CERT_BYTES)}` });
    expect(await reasonOf(verifier.verify(await notification()))).toBe('cert-unavailable');
  });
});

describe('the configured policy honours the port', () => {
  const url = (s: string) => new URL(s);
  test('production (no plain http): https on 443 only, AWS hosts by default', () => {
    const policy = certUrlPolicyFromConfig({ hostPattern: AWS_SNS_HOST_PATTERN, allowHttp: false });
    expect(policy).toBe(productionCertUrlPolicy);
    expect(policy(url(CERT_URL))).toBe(true);
    expect(policy(url('https://sns.ap-northeast-1.amazonaws.com:443/SimpleNotificationService-abc.pem'))).toBe(true);
    expect(policy(url('https://sns.ap-northeast-1.amazonaws.com:8443/SimpleNotificationService-abc.pem'))).toBe(false);
    const custom = certUrlPolicyFromConfig({ hostPattern: '^certs\\.example\\.jp$', allowHttp: false });
    expect(custom(url('https://certs.example.jp/a.pem'))).toBe(true);
    expect(custom(url('https://certs.example.jp:8443/a.pem'))).toBe(false);
    expect(custom(url('http://certs.example.jp/a.pem'))).toBe(false);
  });

  test('hostPatternPolicy with ports: only those, a default port as itself', () => {
    const policy = hostPatternPolicy(/^127\.0\.0\.1$/, { allowHttp: true, ports: [7480] });
    expect(policy(url('http://127.0.0.1:7480/a.pem'))).toBe(true);
    expect(policy(url('http://127.0.0.1:7481/a.pem'))).toBe(false);
    expect(policy(url('http://127.0.0.1/a.pem'))).toBe(false);
    expect(hostPatternPolicy(/^h$/, { allowHttp: false, ports: [443] })(url('https://h/a.pem'))).toBe(true);
  });
});
