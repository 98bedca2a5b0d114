import { createServer, type Server } from 'node:https';
import express, { type Router } from 'express';
import { createSelfSignedCertificate } from '../amazon-pay/sns/self-signed';

export interface TlsListener {
  server: Server;
  port: number;
  /** https://<host>:<port>, as clients reach it */
  url: string;
  /** the x-amz-pay-host values that name this listener: what the official SDK signs when pointed here */
  hostNames: string[];
  /** the generated test certificate, for clients to trust (NODE_EXTRA_CA_CERTS) */
  certificatePem: string;
  stop(): Promise<void>;
}

export interface TlsListenerOptions {
  /** serves the SNS signing certificate at /__sns/…, so IPNs can carry an https SigningCertURL as real SNS does */
  snsCertRouter?: Router;
}

/**
 * `res.locals` key: the host:port values naming the listener a request came in on. The official SDK, pointed here with
 * overrideServiceUrl, signs that as x-amz-pay-host; the emulator accepts it beside its configured host.
 */
export const LISTENER_HOSTS = 'sandboxListenerHosts';

const WILDCARD = new Set(['0.0.0.0', '::', '[::]']);

/**
 * Amazon Pay's official SDK always calls https://<host>/<path>, with no path prefix: this listener serves the Amazon
 * Pay emulator at the root over TLS, with a certificate generated for 127.0.0.1, localhost and the bound host.
 */
export async function startAmazonPayTls(router: Router, port: number, host = '127.0.0.1', options: TlsListenerOptions = {}): Promise<TlsListener> {
  const named = !WILDCARD.has(host) && host !== '127.0.0.1' && host !== 'localhost' ? [host] : [];
  const isIp = (h: string) => /^[\d.]+$/.test(h) || h.includes(':');
  const { privateKeyPem, certificatePem } = await createSelfSignedCertificate({
    commonName: 'renkei-sandbox',
    dnsNames: ['localhost', ...named.filter((h) => !isIp(h))],
    ipAddresses: ['127.0.0.1', ...named.filter(isIp)],
  });
  let hostNames: string[] = [];
  const app = express();
  app.use((_req, res, next) => {
    res.locals[LISTENER_HOSTS] = hostNames;
    next();
  });
  if (options.snsCertRouter) app.use('/__sns', options.snsCertRouter);
  app.use(router);
  const server = createServer({ key: privateKeyPem, cert: certificatePem }, app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const publicHost = WILDCARD.has(host) ? '127.0.0.1' : host;
  hostNames = [...new Set([publicHost, '127.0.0.1', 'localhost'])].map((h) => `${h}:${boundPort}`);
  return {
    server,
    port: boundPort,
    url: `https://${publicHost}:${boundPort}`,
    hostNames,
    certificatePem,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
