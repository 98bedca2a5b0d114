import { holdReason, LINK_STATUS, MISSING_SHIP_DATE, resetRefusal, shippingPrecondition, type AuPayChainSettings, type ShipmentReport } from '../../workflows/au-pay-link-status';

const report = (o: Partial<ShipmentReport> = {}): ShipmentReport => ({
  shopId: 's', orderId: 'o', auPayOrderId: '1', managementClass: '通常', shipDate: '2026-11-20', carrier: '1', trackingNumber: '', ...o,
});

describe('shippingPrecondition (seed 004 section 2)', () => {
  test('a 通常 order with a ship date is pushed, even with an empty tracking number', () => {
    expect(shippingPrecondition(report())).toEqual({ shipDate: '2026-11-20' });
  });
  test('no ship date is an error before any call', () => {
    expect(shippingPrecondition(report({ shipDate: null }))).toEqual({ error: MISSING_SHIP_DATE });
  });
  test('a bundled child is skipped, naming its parent', () => {
    expect(shippingPrecondition(report({ bundledInto: 'P-1' }))).toEqual({ skip: expect.stringContaining('P-1') });
  });
  test('a management class other than 通常 is skipped, even without a ship date', () => {
    expect(shippingPrecondition(report({ managementClass: '予約', shipDate: null }))).toEqual({ skip: expect.stringContaining('予約') });
  });
  test('a split order is pushed like any other', () => {
    expect(shippingPrecondition(report({ splitFrom: 'O-0' }))).toEqual({ shipDate: '2026-11-20' });
  });
});

describe('resetRefusal (seed 004 section 6)', () => {
  test.each([LINK_STATUS.blank, LINK_STATUS.shipped, LINK_STATUS.completed])('after an error, %s may be set', (target) => {
    expect(resetRefusal(LINK_STATUS.shipError, target)).toBeUndefined();
    expect(resetRefusal(LINK_STATUS.completeError, target)).toBeUndefined();
  });
  test('an error status cannot be set by hand', () => {
    expect(resetRefusal(LINK_STATUS.shipError, LINK_STATUS.completeError)).toMatch(/cannot be set by hand/);
  });
  test('an order being processed is not reset', () => {
    expect(resetRefusal(LINK_STATUS.blank, LINK_STATUS.completed)).toMatch(/being processed/);
    expect(resetRefusal(LINK_STATUS.shipped, LINK_STATUS.blank)).toMatch(/being processed/);
  });
  test('an order outside the chain is not reset', () => {
    expect(resetRefusal(LINK_STATUS.notTarget, LINK_STATUS.blank)).toMatch(/対象外/);
  });
});

describe('resetRefusal on an order the settings hold', () => {
  test('受注完了ステータス反映済み may be set by hand (an order done before the automatic push)', () => {
    expect(resetRefusal(LINK_STATUS.blank, LINK_STATUS.completed, true)).toBeUndefined();
    expect(resetRefusal(LINK_STATUS.shipped, LINK_STATUS.completed, true)).toBeUndefined();
  });
  test('the reprocessing statuses are for errors only', () => {
    expect(resetRefusal(LINK_STATUS.shipped, LINK_STATUS.blank, true)).toMatch(/waits on the shop's settings/);
    expect(resetRefusal(LINK_STATUS.blank, LINK_STATUS.shipped, true)).toMatch(/waits on the shop's settings/);
  });
});

describe('holdReason (seed 004 section 4)', () => {
  const on: AuPayChainSettings = { autoShipInfo: '開始', autoCompletion: '開始', completionTiming: 'after-ship' };
  test('both at 開始, completion right after shipping: nothing holds', () => {
    expect(holdReason('shipping', on, false)).toBeUndefined();
    expect(holdReason('completion', on, false)).toBeUndefined();
  });
  test('each 停止 holds its own push only', () => {
    expect(holdReason('shipping', { ...on, autoShipInfo: '停止' }, false)).toMatch(/自動出荷情報反映が停止中/);
    expect(holdReason('completion', { ...on, autoShipInfo: '停止' }, false)).toBeUndefined();
    expect(holdReason('shipping', { ...on, autoCompletion: '停止' }, true)).toBeUndefined();
    expect(holdReason('completion', { ...on, autoCompletion: '停止' }, true)).toMatch(/自動受注完了ステータス反映が停止中/);
  });
  test('oms-report: completion waits for the OMS\'s report', () => {
    expect(holdReason('completion', { ...on, completionTiming: 'oms-report' }, false)).toMatch(/OMS/);
    expect(holdReason('completion', { ...on, completionTiming: 'oms-report' }, true)).toBeUndefined();
  });
});

describe('resetRefusal with completedBeforeAutomation (seed 004 section 6)', () => {
  const flag = { completedBeforeAutomation: true };
  test('from 空欄 to 受注完了ステータス反映済み, held or not', () => {
    expect(resetRefusal(LINK_STATUS.blank, LINK_STATUS.completed, false, flag)).toBeUndefined();
    expect(resetRefusal(LINK_STATUS.blank, LINK_STATUS.completed, true, flag)).toBeUndefined();
    expect(resetRefusal(LINK_STATUS.blank, LINK_STATUS.completed)).toMatch(/being processed/); // without the flag: refused
  });
  test('only that target, only from 空欄', () => {
    expect(resetRefusal(LINK_STATUS.blank, LINK_STATUS.shipped, false, flag)).toMatch(/only/);
    expect(resetRefusal(LINK_STATUS.shipped, LINK_STATUS.completed, false, flag)).toMatch(/applies to an order at 空欄/);
    expect(resetRefusal(LINK_STATUS.notTarget, LINK_STATUS.completed, false, flag)).toMatch(/対象外/);
  });
  test('注文情報ステータス取得エラー is an error an operator resets', () => {
    expect(resetRefusal(LINK_STATUS.statusError, LINK_STATUS.blank)).toBeUndefined();
  });
});
