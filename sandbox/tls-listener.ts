import { createServer, type Server } from 'node:https';
import express, { type Router } from 'express';
import { createSelfSignedCertificate } from '../amazon-pay/sns/self-signed';

export interface TlsListener {
  server: Server;
  port: number;
  /** the generated test certificate, for clients to trust (NODE_EXTRA_CA_CERTS) */
  certificatePem: string;
  stop(): Promise<void>;
}

/**
 * Amazon Pay's official SDK always calls https://<host>/<path>, with no path prefix: this listener serves the Amazon
 * Pay emulator at the root over TLS, with a certificate generated for 127.0.0.1 and localhost.
 */
export async function startAmazonPayTls(router: Router, port: number, host = '127.0.0.1'): Promise<TlsListener> {
  const { privateKeyPem, certificatePem } = await createSelfSignedCertificate({ commonName: 'renkei-sandbox', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  const app = express();
  app.use(router);
  const server = createServer({ key: privateKeyPem, cert: certificatePem }, app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return {
    server,
    port: typeof address === 'object' && address ? address.port : port,
    certificatePem,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
