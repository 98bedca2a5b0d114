import type { Pool } from 'pg';
import { auPayClientFor } from '../../workers/shop-clients';
import { listCallHistory, getAuPayOrder, upsertShipmentReport } from '../../db/au-pay-orders';
import { createMailer } from '../../mail/mailer';
import type { ActivityDeps } from '../../activities';
import type { ShipmentReport } from '../../workflows/au-pay-link-status';
import { AU_API_KEY, AU_SHOP_ID, type TestSandbox } from './sandbox';
import { defaultSettings, type ProcessSettings, type SettingsProcess } from '../../shops/settings';

export const SHOP_ID = 'test-shop';
export const NOTIFY_EMAIL = 'ops@test-shop.example.jp';

/** The activities' real dependencies, pointed at the test sandbox and database. */
export function activityDeps(db: Pool, sandbox: TestSandbox, timeoutMs = 2000): ActivityDeps {
  const client = auPayClientFor({ AUPAY_BASE_URL: sandbox.auPayBaseUrl, AUPAY_TIMEOUT_MS: timeoutMs }, { shopId: AU_SHOP_ID, apiKey: AU_API_KEY });
  return {
    db,
    mailer: createMailer({ smtpUrl: sandbox.smtpUrl, from: 'renkei@test.example.jp' }),
    shop: (shopId) => (shopId === SHOP_ID ? { client, notifyEmail: NOTIFY_EMAIL } : undefined),
  };
}

let counter = 0;
/** A trade at the market and the OMS's shipment report for it, stored as the API would store it. */
export async function newShipment(db: Pool, sandbox: TestSandbox, overrides: Partial<ShipmentReport> = {}): Promise<ShipmentReport> {
  counter += 1;
  const auPayOrderId = overrides.auPayOrderId ?? String(700000000 + Math.floor(Math.random() * 1e6) * 100 + counter);
  if (!sandbox.auPay.market.trade(AU_SHOP_ID, auPayOrderId)) {
    await sandbox.control('POST', '/au-pay/_sandbox/trades', { shopId: AU_SHOP_ID, orderId: auPayOrderId });
  }
  const report: ShipmentReport = {
    shopId: SHOP_ID,
    orderId: `OMS-${Date.now()}-${counter}`,
    auPayOrderId,
    managementClass: '通常',
    shipDate: '2026-11-20',
    carrier: '1',
    trackingNumber: '4321-0000-1111',
    ...overrides,
  };
  await upsertShipmentReport(db, report);
  return report;
}

export const orderRow = (db: Pool, r: ShipmentReport) => getAuPayOrder(db, r.shopId, r.orderId);
export const history = (db: Pool, r: ShipmentReport) =>
  listCallHistory(db, { shopId: r.shopId, orderId: r.orderId, limit: 100 }).then((rows) => rows.reverse());

export async function ledger(sandbox: TestSandbox, auPayOrderId: string) {
  const { entries } = await sandbox.control<{ entries: Array<{ operation: string; applied: boolean; effect: string }> }>(
    'GET', `/au-pay/_sandbox/ledger?orderId=${auPayOrderId}`,
  );
  return entries;
}

/**
 * The shop directory as the worker reads it, with the au PAY settings a test changes (`change`, `reset`); every other
 * process at its defaults, and no addresses kept (mails go where their sender addressed them).
 */
export function auPaySettingsStandIn() {
  let current = defaultSettings('au-pay');
  return {
    shops: {
      settings: async <P extends SettingsProcess>(_shopId: string, p: P) => (p === 'au-pay' ? current : defaultSettings(p)) as ProcessSettings<P>,
      record: async () => undefined,
      isKnown: async () => true,
      forget: () => undefined,
    },
    change: (c: Partial<ProcessSettings<'au-pay'>>) => void (current = { ...current, ...c }),
    reset: () => void (current = defaultSettings('au-pay')),
  };
}
