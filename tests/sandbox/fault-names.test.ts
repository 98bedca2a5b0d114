import { createGmoPgClient } from '../../gmo-pg/client';
import { createAuPayClient } from '../../au-pay/client';
import { AMAZON_PAY_OPERATIONS } from '../../amazon-pay/emulator/outcomes';
import { AU_PAY_OPERATIONS } from '../../au-pay/emulator/operations';
import { YAHOO_OPERATIONS } from '../../yahoo/emulator/operations';
import { OPLUX_OPERATIONS } from '../../oplux/emulator/operations';
import { GMO_APIS } from '../../gmo-pg/emulator/gateway';
import { EXTERNAL_SYSTEM_OPERATIONS } from '../../external-system/emulator/receiver';
import { AU_API_KEY, AU_SHOP_ID, startTestSandbox, type TestSandbox } from '../support/sandbox';

/**
 * A fault rule names an emulator's operation as its ledger shows it; a name no call carries would never fire, so it is
 * refused with the known names rather than silently kept.
 */
let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox.stop());

const EMULATORS = {
  'au-pay': AU_PAY_OPERATIONS,
  'amazon-pay': AMAZON_PAY_OPERATIONS,
  yahoo: YAHOO_OPERATIONS,
  oplux: OPLUX_OPERATIONS,
  'gmo-pg': GMO_APIS,
  'external-system': EXTERNAL_SYSTEM_OPERATIONS,
} as const;

async function post(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${sandbox.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

test.each(Object.entries(EMULATORS))('%s: an unknown operation is a 400 naming the field and the known names; known ones and * are taken', async (name, operations) => {
  const bad = await post(`/${name}/_sandbox/faults`, { operation: 'event.register', kind: 'error', status: 503 });
  expect(bad.status).toBe(400);
  expect(bad.json.issues).toEqual([{ field: 'operation', reason: `unknown operation; one of: ${operations.join(', ')}, or * for every one` }]);
  // nothing was kept, and the list a client may pick from is on GET
  expect(await sandbox.control('GET', `/${name}/_sandbox/faults`)).toEqual({ faults: [], operations: [...operations] });
  // the emulator's kit carries the same list its routes and ledger use
  const kit = { 'au-pay': sandbox.auPay, 'amazon-pay': sandbox.amazonPay, yahoo: sandbox.yahoo, oplux: sandbox.oplux, 'gmo-pg': sandbox.gmoPg, 'external-system': sandbox.externalSystem }[name]!.kit;
  expect(kit.operations).toEqual(operations);
  for (const operation of [...operations, '*']) {
    expect((await post(`/${name}/_sandbox/faults`, { operation, kind: 'slow', delayMs: 1 })).status).toBe(201);
  }
  await sandbox.control('DELETE', `/${name}/_sandbox/faults`);
});

test('GMO-PG: the ledger names a call as the fault rule does, and a rule with that name fires on the call', async () => {
  await sandbox.control('POST', '/gmo-pg/_sandbox/reset');
  await sandbox.control('POST', '/gmo-pg/_sandbox/shops', { shopId: 'tshop00000001', shopPass: 'pass' });
  const client = createGmoPgClient({ baseUrl: `${sandbox.url}/gmo-pg/payment/`, shopId: 'tshop00000001', shopPass: 'pass', siteId: 's', sitePass: 'p', timeoutMs: 2000 });
  await client.entryTran({ orderId: 'fault-names-1', jobCd: 'AUTH', amount: 100 });
  const [entry] = sandbox.gmoPg.kit.ledger.list({ orderId: 'fault-names-1' });
  expect(entry?.operation).toBe('EntryTran');
  await sandbox.control('POST', '/gmo-pg/_sandbox/faults', { operation: entry!.operation, kind: 'error', status: 503, times: 1 });
  await expect(client.entryTran({ orderId: 'fault-names-2', jobCd: 'AUTH', amount: 100 })).rejects.toThrow();
  expect(sandbox.gmoPg.kit.ledger.list({ orderId: 'fault-names-2' })).toEqual([]);
});

test('au PAY: the ledger names a call as the fault rule does, and a rule with that name fires on the call', async () => {
  await sandbox.control('POST', '/au-pay/_sandbox/reset');
  await sandbox.control('POST', '/au-pay/_sandbox/shops', { shopId: AU_SHOP_ID, apiKey: AU_API_KEY });
  await sandbox.control('POST', '/au-pay/_sandbox/trades', { shopId: AU_SHOP_ID, orderId: '90001' });
  const client = createAuPayClient({ baseUrl: sandbox.auPayBaseUrl, shopId: AU_SHOP_ID, apiKey: AU_API_KEY, timeoutMs: 2000 });
  await client.updateTradeInfo({ orderId: '90001', shippingDate: '2026/11/30', shippingCarrier: '1', shippingNumber: '1234' });
  const names = sandbox.auPay.kit.ledger.list({ orderId: '90001' }).map((e) => e.operation);
  expect(names).toContain('updateTradeInfoProc');
  for (const n of names) expect(AU_PAY_OPERATIONS).toContain(n);
  await sandbox.control('POST', '/au-pay/_sandbox/faults', { operation: 'updateTradeInfoProc', kind: 'error', status: 503, times: 1 });
  await expect(client.updateTradeInfo({ orderId: '90001', shippingDate: '2026/11/30', shippingCarrier: '1', shippingNumber: '5678' })).rejects.toThrow();
  expect(sandbox.auPay.kit.ledger.list({ orderId: '90001' }).map((e) => e.operation)).toEqual(names);
});
