import { createVerify, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http, { type Server } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { createSandboxApp, type SandboxApp } from '../../sandbox/sandbox-app';
import { startAmazonPayTls, type TlsListener } from '../../sandbox/tls-listener';
import { withSandboxCertTrust, defaultCertTrust } from '../../amazon-pay/sns/sandbox-cert-trust';
import { createSnsVerifier, hostPatternPolicy, productionCertUrlPolicy } from '../../amazon-pay/sns/sns-verifier';
import { snsStringToSign } from '../../amazon-pay/sns/string-to-sign';
import type { SnsEnvelope } from '../../amazon-pay/sns/envelope';
import { until } from '../support/until';

/**
 * Real SNS serves SigningCertURL over https, and standard validators refuse anything else. With the TLS listener on,
 * the sandbox serves the certificate there and signs its IPNs with that https URL; without it, plain http as before.
 */
let sandbox: SandboxApp;
let httpServer: Server;
let shopServer: Server;
let tls: TlsListener;
const received: string[] = [];
const dir = mkdtempSync(path.join(os.tmpdir(), 'renkei-sns-https-'));
const caFile = path.join(dir, 'sandbox-tls-cert.pem');

const listen = (server: Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

async function oneIpn(objectId: string): Promise<SnsEnvelope> {
  const before = received.length;
  sandbox.amazonPayIpn.notify({ objectType: 'CHARGE', objectId, chargePermissionId: 'P01-0000000-0000001' });
  await sandbox.amazonPayIpn.flush();
  await until(() => received.length > before);
  return JSON.parse(received[received.length - 1]!) as SnsEnvelope;
}

/** A standard validator's steps (AWS's documented procedure): https only, fetch, X.509, verify the canonical string. */
async function standardValidate(envelope: SnsEnvelope): Promise<boolean> {
  const url = new URL(envelope.SigningCertURL);
  if (url.protocol !== 'https:' || !url.pathname.endsWith('.pem')) throw new Error(`refused SigningCertURL ${url.href}`);
  const pem = await new Promise<string>((resolve, reject) => {
    https.get(url, { ca: tls.certificatePem }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`HTTP ${res.statusCode}`))));
    }).on('error', reject);
  });
  const cert = new X509Certificate(pem);
  const algorithm = envelope.SignatureVersion === '1' ? 'RSA-SHA1' : 'RSA-SHA256';
  return createVerify(algorithm).update(snsStringToSign(envelope), 'utf8').verify(cert.publicKey, envelope.Signature, 'base64');
}

beforeAll(async () => {
  shopServer = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      received.push(body);
      res.writeHead(200).end();
    });
  });
  const shopPort = await listen(shopServer);
  // the http listener's port is not known before createSandboxApp: its publicUrl only names the http cert URL
  httpServer = http.createServer();
  const httpPort = await listen(httpServer);
  sandbox = createSandboxApp({ publicUrl: `http://127.0.0.1:${httpPort}` });
  httpServer.on('request', sandbox.app);
  sandbox.amazonPayIpn.configure({ targetUrl: `http://127.0.0.1:${shopPort}/ipn`, retryDelaysMs: [] });
});
afterAll(async () => {
  for (const s of [shopServer, httpServer]) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
  await tls?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('without the TLS listener, IPNs keep the http SigningCertURL', async () => {
  const envelope = await oneIpn('C-HTTP');
  expect(envelope.SigningCertURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/amazon-pay\/__sns\/SimpleNotificationService-renkei-sandbox\.pem$/);
});

test('with the TLS listener on, the certificate is served over https and IPNs signed with that URL pass a standard validator', async () => {
  tls = await startAmazonPayTls(express.Router().use(sandbox.amazonPay.router), 0, '127.0.0.1', { snsCertRouter: sandbox.amazonPayIpn.certRouter });
  writeFileSync(caFile, tls.certificatePem);
  sandbox.amazonPayIpn.useSnsBaseUrl(`${tls.url}/__sns/`);

  const v2 = await oneIpn('C-TLS-2');
  expect(v2.SigningCertURL).toBe(`https://127.0.0.1:${tls.port}/__sns/SimpleNotificationService-renkei-sandbox.pem`);
  expect(v2.UnsubscribeURL).toMatch(new RegExp(`^https://127\\.0\\.0\\.1:${tls.port}/__sns/\\?Action=Unsubscribe&`));
  expect(await standardValidate(v2)).toBe(true);
  sandbox.amazonPayIpn.configure({ signatureVersion: '1' });
  expect(await standardValidate(await oneIpn('C-TLS-1'))).toBe(true);
  sandbox.amazonPayIpn.configure({ signatureVersion: '2' });
  // a tampered message fails the same check
  expect(await standardValidate({ ...v2, Message: '{"ObjectId":"other"}' })).toBe(false);
});

test("renkei's verifier trusts the configured sandbox base over https, and only it, and never in production", async () => {
  const envelope = await oneIpn('C-TLS-OURS');
  const now = () => Date.parse(envelope.Timestamp);
  // as the API is configured in production: AWS's hosts only
  const production = defaultCertTrust(productionCertUrlPolicy);
  const sandboxTrust = { certBaseUrl: `${tls.url}/__sns/`, caFile };
  const ours = createSnsVerifier({ ...withSandboxCertTrust(production, sandboxTrust, {}), now });
  await expect(ours.verify(JSON.stringify(envelope))).resolves.toMatchObject({ MessageId: envelope.MessageId });

  // without the sandbox trust, the production policy refuses the URL before fetching anything
  const plain = createSnsVerifier({ ...production, now });
  await expect(plain.verify(envelope)).rejects.toMatchObject({ reason: 'untrusted-cert-url' });
  // another port of the same host is not the configured base, nor is plain http, nor another path
  const policy = withSandboxCertTrust(production, sandboxTrust, {}).allowCertUrl;
  expect(policy(new URL(`https://127.0.0.1:${tls.port + 1}/__sns/x.pem`))).toBe(false);
  expect(policy(new URL(`http://127.0.0.1:${tls.port}/__sns/x.pem`))).toBe(false);
  expect(policy(new URL(`https://127.0.0.1:${tls.port}/other/x.pem`))).toBe(false);
  expect(policy(new URL(`https://127.0.0.1:${tls.port}/__sns/x.pem`))).toBe(true);
  // the TLS certificate is pinned: a fetch trusting the system store alone would fail, the pinned one succeeds
  const systemOnly = createSnsVerifier({ allowCertUrl: hostPatternPolicy(/^127\.0\.0\.1$/, { allowHttp: false }), now });
  await expect(systemOnly.verify(envelope)).rejects.toMatchObject({ reason: 'cert-unavailable' });

  // production refuses the setting outright; staging may use it
  expect(() => withSandboxCertTrust(production, sandboxTrust, { NODE_ENV: 'production' })).toThrow(/AMAZONPAY_IPN_SANDBOX_CERT_URL/);
  expect(() => withSandboxCertTrust(production, sandboxTrust, { NODE_ENV: 'production', RENKEI_STAGING: 'true' })).not.toThrow();
  expect(() => withSandboxCertTrust(production, { ...sandboxTrust, certBaseUrl: `http://127.0.0.1:${tls.port}/__sns/` }, {})).toThrow(/https/);
});
