import type { Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import type { Pool } from 'pg';
import type { ShopLookup } from '../activities/provider-shop';
import type { YahooShop } from '../activities/yahoo-window-activities';
import { reportAuPayShipment } from '../api/au-pay/report-shipment';
import { getAmazonPayOrder } from '../db/amazon-pay-orders';
import { getAuPayOrder } from '../db/au-pay-orders';
import {
  CAPTURE_STATUS, getOrderShipment, markSentOut, recordRowEffect, recordRowResult, recordShipment, rowEffects, sameShipment,
  setCaptureStatus, writeShipmentOut, type ShipmentValues,
} from '../db/order-shipments';
import { externalCallFailed, statusChanged } from '../metrics/business-events';
import { wakeOrderOutDelivery } from '../order-out/wake-delivery';
import { orderCaptureWorkflow } from '../workflows/order-capture';
import { ORDER_ID, SHOP_ID } from '../workflows/search-attributes';
import { orderCaptureWorkflowId } from '../workflows/workflow-ids';
import { YahooApiError } from '../yahoo/errors';
import { WARNING } from '../yahoo/schemas';
import { CARRIERS } from './carriers';
import type { RowResult, ShipmentRow } from './types';

export interface ApplyRowDeps {
  db: Pool;
  /** the worker's own client: au PAY chain start/signal, the capture workflow's start, the OUT wake-up */
  temporal: { client: Client; taskQueue: string };
  /** the shop's Yahoo client (activities/yahoo-window-activities.ts YahooShop); undefined: the shop has none */
  yahooShop: ShopLookup<Pick<YahooShop, 'client'>>;
}

/** #1075 (seed 000 留意事項): the check a row without a tracking number fails when tracking numbers go to the provider. */
export const TRACKING_NUMBER_REQUIRED = '「宅配伝票番号API連携:連携する」の場合、配送伝票番号は入力必須です (#1075)';
/** An Amazon Pay order with no charge renkei knows of: nothing to capture. */
export const NO_AUTHORIZED_CHARGE = 'no authorized charge';
/** The providers whose authorization a shipment captures (売上確定). */
const CAPTURING_PROVIDERS = ['amazon-pay', 'gmo-pg'];

/** The effects a row can do, in the order they run (and its detail lists them). */
const EFFECTS = ['record', 'order-out', 'au-pay', 'yahoo', 'capture'] as const;
type Effect = (typeof EFFECTS)[number];

/** Yahoo's ShipDate: YYYYMMDD. */
const yahooDate = (isoDate: string): string => isoDate.replaceAll('-', '');

/**
 * What one row of a shipment import does, each effect once per (import, line): 1) the ship date, carrier and tracking
 * number recorded on the order; 2) with 配送日自動設定 external: the au PAY report (the same function as the au PAY
 * shipments route) or Yahoo's orderShipStatusChange, then the order data OUT row; 3) with オーソリ確定処理: the capture
 * workflow for an Amazon Pay or GMO-PG order. Each effect done is recorded (shipment_row_effects), so a retry after a
 * worker's death skips it; the one in flight then repeats, idempotently (the same au PAY report changes nothing, Yahoo
 * answers od91705, the capture workflow's id is reused, the OUT row's dedupe key). The same shipment imported again
 * (equal values, already sent out and captured as asked) is `unchanged`. Throws for what retrying can fix (Temporal, the
 * database, a provider's 5xx); a refusal that retrying cannot fix is the row's `refused` outcome.
 */
export async function applyShipmentRow(deps: ApplyRowDeps, i: { shopId: string; importId: string; row: ShipmentRow }): Promise<RowResult> {
  const { shopId, importId, row } = i;
  const { db } = deps;
  const { line } = row;
  const done = await rowEffects(db, importId, line);
  const recorded = done.get('outcome');
  if (recorded) return JSON.parse(recorded) as RowResult;

  const values: ShipmentValues = { shopId, orderId: row.orderId, shipDate: row.shipDate, carrier: row.carrier, trackingNumber: row.trackingNumber };
  const external = row.flags.shipDateMode === 'external';
  const provider = row.payment.provider;
  const wantsCapture = row.flags.capture && provider !== null && CAPTURING_PROVIDERS.includes(provider);

  const finish = async (result: RowResult): Promise<RowResult> => {
    await recordRowResult(db, importId, line, result);
    statusChanged('shipment', values, result.outcome, { importId, line, detail: result.detail });
    return result;
  };
  const detail = (...more: string[]): string =>
    [...EFFECTS.map((e) => done.get(e)).filter((d): d is string => Boolean(d)), ...more].join('; ');
  const effect = async (name: Effect, text: string): Promise<void> => {
    await recordRowEffect(db, importId, line, name, text);
    done.set(name, text);
  };

  if (!done.has('record')) {
    // checks that refuse the row before anything is sent
    if (row.flags.trackingNumberApi && !row.trackingNumber) return finish({ outcome: 'refused', detail: TRACKING_NUMBER_REQUIRED });
    if (external && row.channel.kind === 'yahoo' && !(await deps.yahooShop(shopId))) {
      return finish({ outcome: 'refused', detail: `Yahoo: shop ${shopId} has no Yahoo!ショッピング account configured` });
    }
    const current = await getOrderShipment(db, shopId, row.orderId);
    // the same shipment, applied by another row (of this or another import) that ended well
    const settled = current !== undefined && sameShipment(current, values) && !(current.importId === importId && current.line === line)
      && (current.recorderOutcome === 'applied' || current.recorderOutcome === 'unchanged');
    const captureUnderWay = current?.captureStatus === CAPTURE_STATUS.capturing || current?.captureStatus === CAPTURE_STATUS.captured;
    if (settled && (!external || current.sentOutAt !== null) && (!wantsCapture || captureUnderWay)) {
      return finish({ outcome: 'unchanged', detail: `変更なし: 同じ出荷情報を反映済み (取込 ${current.importId} の ${current.line} 行目)` });
    }
    // the same values again (only the capture, or what did not go out, runs): nothing new is set on the order
    const recordDetail = settled ? '' : '出荷日設定';
    await recordShipment(db, { ...values, importId, line }, recordDetail);
    done.set('record', recordDetail);
  }

  const shipment = await getOrderShipment(db, shopId, row.orderId);
  if (external && !shipment?.sentOutAt) {
    const refusal = await sendOut(deps, { ...values, importId }, row, done, effect);
    if (refusal) return finish({ outcome: 'refused', detail: detail(refusal) });
    await markSentOut(db, values);
  }

  if (wantsCapture && !done.has('capture')) {
    await effect('capture', await capture(deps, values, row, shipment?.captureStatus ?? null));
  }
  return finish({ outcome: 'applied', detail: detail() });
}

/**
 * The external effects not done yet: the au PAY report or Yahoo's ship status, then the order data OUT row (woken at
 * once). Returns Yahoo's refusal, in its words, when it refuses: then nothing else goes out.
 */
async function sendOut(
  deps: ApplyRowDeps, s: ShipmentValues & { importId: string }, row: ShipmentRow, done: Map<string, string>,
  effect: (name: Effect, detail: string) => Promise<void>,
): Promise<string | undefined> {
  const channel = row.channel;
  if (channel.kind === 'au-pay' && !done.has('au-pay')) {
    const stored = await getAuPayOrder(deps.db, s.shopId, s.orderId);
    const { status, body } = await reportAuPayShipment({ db: deps.db, temporal: deps.temporal.client, taskQueue: deps.temporal.taskQueue }, {
      shopId: s.shopId, orderId: s.orderId, auPayOrderId: channel.auPayOrderId, managementClass: channel.managementClass,
      shipDate: s.shipDate, carrier: CARRIERS[s.carrier].auPay, trackingNumber: s.trackingNumber ?? '',
      // the OMS's 同梱 / 分割 stay as it reported them: the file has no such columns
      bundledInto: stored?.bundledInto ?? null, splitFrom: stored?.splitFrom ?? null,
    });
    await effect('au-pay', status === 202 ? 'au PAY: 出荷情報反映へ' : `au PAY: 反映なし (${body.note ?? body.reason})`);
  }
  if (channel.kind === 'yahoo' && !done.has('yahoo')) {
    const shop = await deps.yahooShop(s.shopId);
    if (!shop) return `Yahoo: shop ${s.shopId} has no Yahoo!ショッピング account configured`;
    let warnings: string[];
    try {
      warnings = (await shop.client.orderShipStatusChange({
        orderId: channel.yahooOrderId, shipStatus: '3', shipCompanyCode: CARRIERS[s.carrier].yahoo,
        invoice1: s.trackingNumber ?? undefined, shipDate: yahooDate(s.shipDate), operationUser: 'renkei',
      })).map((w) => w.code);
    } catch (err) {
      if (!(err instanceof YahooApiError)) throw err;
      externalCallFailed('yahoo', { shopId: s.shopId, orderId: s.orderId, operation: 'orderShipStatusChange', error: err.message, retryable: err.retryable });
      if (err.retryable) throw new Error(`Yahoo orderShipStatusChange: ${err.message}`, { cause: err });
      return `Yahoo: 拒否 ${err.message}`;
    }
    await effect('yahoo', warnings.includes(WARNING.sameStatus) ? 'Yahoo: 出荷済み (変更なし)' : 'Yahoo: 出荷済み');
  }
  // after the marketplace took it (#1319: the update, then OUT): a shipment Yahoo refused is not told to the OMS
  if (!done.has('order-out')) {
    const written = await writeShipmentOut(deps.db, s);
    await wakeOrderOutDelivery(deps.temporal, s.shopId, s.orderId); // a retry after the write wakes it too
    await effect('order-out', written ? '受注データ連携OUT' : '受注データ連携OUT (同じ内容を連携済み)');
  }
  return undefined;
}

/**
 * 売上確定: the capture workflow for the order's payment (its id reused while it runs), the order marked 売上確定中
 * before it starts, so the workflow's own record (済み, エラー) comes after. An order captured already is left as it is;
 * an Amazon Pay order with no charge is 売上確定エラー at once, with nothing started.
 */
async function capture(deps: ApplyRowDeps, s: ShipmentValues, row: ShipmentRow, status: string | null): Promise<string> {
  if (status === CAPTURE_STATUS.captured) return '売上確定: 確定済み';
  const provider = row.payment.provider!;
  const ref = row.payment.ref ?? (provider === 'amazon-pay' ? (await getAmazonPayOrder(deps.db, s.shopId, s.orderId))?.chargeId ?? null : s.orderId);
  if (!ref) {
    if (await setCaptureStatus(deps.db, s.shopId, s.orderId, CAPTURE_STATUS.error, NO_AUTHORIZED_CHARGE)) {
      statusChanged('shipment', s, CAPTURE_STATUS.error, { provider, error: NO_AUTHORIZED_CHARGE });
    }
    return `${CAPTURE_STATUS.error}: ${NO_AUTHORIZED_CHARGE}`;
  }
  if (await setCaptureStatus(deps.db, s.shopId, s.orderId, CAPTURE_STATUS.capturing, null, { unlessCaptured: true })) {
    statusChanged('shipment', s, CAPTURE_STATUS.capturing, { provider });
  }
  await deps.temporal.client.workflow.start(orderCaptureWorkflow, {
    workflowId: orderCaptureWorkflowId(s.shopId, s.orderId), taskQueue: deps.temporal.taskQueue,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    args: [{ shopId: s.shopId, orderId: s.orderId, provider, ref }],
    typedSearchAttributes: [{ key: SHOP_ID, value: s.shopId }, { key: ORDER_ID, value: s.orderId }],
  });
  return '売上確定: 開始';
}
