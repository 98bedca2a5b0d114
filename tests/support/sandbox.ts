import type { Server } from 'node:http';
import { startSmtpSink, type SmtpSink } from '../../mail/smtp-sink';
import { createSandboxApp, type SandboxApp } from '../../sandbox/sandbox-app';
import { freePort } from './free-port';
import { controlClient } from './control-client';

export const AU_SHOP_ID = '12345678';
export const AU_API_KEY = 'test-api-key';

export interface TestSandbox {
  url: string;
  auPayBaseUrl: string;
  smtpUrl: string;
  sink: SmtpSink;
  auPay: SandboxApp['auPay'];
  /** base URL for our Amazon Pay client (the emulator under /amazon-pay), and its handle */
  amazonPayBaseUrl: string;
  amazonPay: SandboxApp['amazonPay'];
  amazonPayIpn: SandboxApp['amazonPayIpn'];
  yahoo: SandboxApp['yahoo'];
  oplux: SandboxApp['oplux'];
  /** the GMO-PG emulator (API at `${url}/gmo-pg/payment/`) */
  gmoPg: SandboxApp['gmoPg'];
  externalSystem: SandboxApp['externalSystem'];
  /** JSON call to a control-plane path, e.g. control('POST', '/au-pay/_sandbox/trades', {...}). */
  control<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/** The real sandbox host on free ports, with the test store registered at the au PAY market. */
export async function startTestSandbox(): Promise<TestSandbox> {
  const sink = await startSmtpSink({ port: await freePort() });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const sandbox = createSandboxApp({ smtpSink: sink, publicUrl: url });
  sandbox.auPay.market.registerShop(AU_SHOP_ID, AU_API_KEY);
  const server: Server = await new Promise((resolve) => {
    const s = sandbox.app.listen(port, '127.0.0.1', () => resolve(s));
  });
  return {
    url,
    auPayBaseUrl: `${url}/au-pay/wmshopapi`,
    smtpUrl: `smtp://127.0.0.1:${sink.port}`,
    sink,
    auPay: sandbox.auPay,
    amazonPayBaseUrl: `${url}/amazon-pay`,
    amazonPay: sandbox.amazonPay,
    amazonPayIpn: sandbox.amazonPayIpn,
    yahoo: sandbox.yahoo,
    oplux: sandbox.oplux,
    gmoPg: sandbox.gmoPg,
    externalSystem: sandbox.externalSystem,
    control: controlClient(() => url),
    async stop() {
      await sandbox.amazonPayIpn.flush();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await sink.close();
    },
  };
}
