import type { Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSandboxApp, type SandboxApp } from '../../sandbox/sandbox-app';
import { restoreState, snapshotState } from '../../sandbox/state-snapshot';
import { startTsChild, stopChild, waitFor, type Child } from '../../scripts/child-processes';
import { freePort } from '../support/free-port';
import { until } from '../support/until';

const ROOT = path.resolve(__dirname, '../..');
const rootsOf = (s: SandboxApp) => ({ auPay: s.auPay, amazonPay: s.amazonPay, yahoo: s.yahoo, oplux: s.oplux, gmoPg: s.gmoPg, externalSystem: s.externalSystem });

async function serve(s: SandboxApp): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const srv = s.app.listen(0, '127.0.0.1', () => resolve(srv));
  });
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

const post = async (url: string, body: unknown) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${res.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
};

describe('the sandbox keeps its state across restarts', () => {
  it('a snapshot restored into fresh emulators gives the same state, and they keep working (classes, listeners, counters)', async () => {
    const first = createSandboxApp({ publicUrl: 'http://127.0.0.1:1' });
    first.auPay.market.registerShop('11112222', 'au-key');
    const trade = first.auPay.market.createTrade({ shopId: '11112222' });
    first.yahoo.auth.registerApp({ clientId: 'app-1', clientSecret: 'secret-1', sellerId: 'seller-1', storeScope: true, orderApiApproved: true });
    const tokens = first.yahoo.auth.issueDirect('app-1');
    first.yahoo.orders.create({ sellerId: 'seller-1' });
    first.oplux.detector.registerMerchant({ shopId: 'OP-1', connectionId: 'c', secretKey: 's' });
    first.gmoPg.gateway.registerShop('tshop-1', 'pass');
    first.gmoPg.gateway.issueToken({ cardNo: '4111111111111111', expire: '3012' });
    first.auPay.kit.clock.advance(86_400_000);
    first.auPay.kit.faults.add({ kind: 'error', status: 503, times: 2 });
    const served = await serve(first);
    let permissionId: string;
    try {
      permissionId = String((await post(`${served.url}/amazon-pay/_sandbox/charge-permissions`, {})).chargePermissionId);
    } finally {
      await served.close();
    }
    const saved = snapshotState(rootsOf(first));

    const second = createSandboxApp({ publicUrl: 'http://127.0.0.1:1' });
    restoreState(rootsOf(second), saved);

    expect(snapshotState(rootsOf(second))).toBe(saved);
    expect(second.auPay.market.trades.get(`11112222:${trade.orderId}`) ?? [...second.auPay.market.trades.values()][0]).toEqual(trade);
    expect(second.auPay.market.shops.get('11112222')?.keyIssuedAt).toBeInstanceOf(Date);
    expect(second.amazonPay.store.permissions.has(permissionId)).toBe(true);
    expect(second.auPay.kit.clock.now().getTime() - Date.now()).toBeGreaterThan(86_000_000);
    // the next order number follows the last one, not the first again
    const next = second.auPay.market.createTrade({ shopId: '11112222' });
    expect(next.orderId).not.toBe(trade.orderId);
    // the tokens issued before the restart are still known
    const refreshTokens = (auth: unknown) => [...(auth as { refreshTokens: Map<string, unknown> }).refreshTokens.keys()];
    expect(tokens).toBeDefined();
    expect(refreshTokens(second.yahoo.auth)).toEqual(refreshTokens(first.yahoo.auth));
    expect(refreshTokens(second.yahoo.auth)).toHaveLength(1);
    // the listener the sandbox added at construction (its IPN sender) is still there: a state change reaches it
    const notified: unknown[] = [];
    second.amazonPay.onStateChange((c) => notified.push(c));
    const servedAgain = await serve(second);
    try {
      await post(`${servedAgain.url}/amazon-pay/_sandbox/charge-permissions/${permissionId}/state`, { state: 'Closed', reasonCode: 'MerchantClosed' });
    } finally {
      await servedAgain.close();
    }
    expect(notified).not.toHaveLength(0);
    expect((second.amazonPay.lifecycle as unknown as { listeners: Set<unknown> }).listeners.size).toBe(2);
  });

  it('the sandbox process killed with SIGKILL and started again answers from the same state', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'renkei-sandbox-state-'));
    const live: Child[] = [];
    try {
      const start = async () => {
        const port = await freePort();
        let ready = false;
        const child = startTsChild('sandbox', path.join(ROOT, 'sandbox/main.ts'), {
          ...process.env, SANDBOX_PORT: String(port), SMTP_PORT: String(await freePort()), SANDBOX_STATE_DIR: dir, SANDBOX_TLS_PORT: undefined,
        }, (line) => {
          if (line.includes('sandbox ready')) ready = true;
        });
        live.push(child);
        await waitFor('the sandbox', async () => ready, 60_000, child);
        return { child, url: `http://127.0.0.1:${port}` };
      };
      const first = await start();
      const trade = await post(`${first.url}/au-pay/_sandbox/trades`, { shopId: '12345678' });
      const file = path.join(dir, 'state.json');
      // written shortly after the change (debounced): wait for it, as a crash later than that would find it
      await until(() => existsSync(file) && readFileSync(file, 'utf8').includes(`"12345678:${String(trade.orderId)}"`), 10_000);
      first.child.process.kill('SIGKILL');
      await first.child.exited;

      const second = await start();
      const res = await fetch(`${second.url}/au-pay/_sandbox/trades/12345678/${String(trade.orderId)}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ orderId: trade.orderId, shopId: '12345678' });
    } finally {
      for (const c of live) await stopChild(c);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
