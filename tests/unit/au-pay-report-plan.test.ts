import { reportPlan } from '../../api/au-pay/report-plan';
import type { AuPayOrderRow } from '../../db/au-pay-orders';
import { LINK_STATUS, type LinkStatus, type ShipmentReport } from '../../workflows/au-pay-link-status';

const report = (o: Partial<ShipmentReport> = {}): ShipmentReport => ({
  shopId: 's', orderId: 'o', auPayOrderId: '1', managementClass: '通常', shipDate: '2026-11-20', carrier: '1', trackingNumber: 'T', ...o,
});
const row = (linkStatus: LinkStatus, o: Partial<ShipmentReport> = {}): AuPayOrderRow => ({
  ...report(o), bundledInto: o.bundledInto ?? null, splitFrom: o.splitFrom ?? null, linkStatus, lastError: null, linkStatusManual: false,
  marketOrderStatus: null, marketPaymentStatus: null, marketCheckedAt: null, reportedAt: '', updatedAt: '',
});

describe('reportPlan: what a shipment report does', () => {
  test('a first report starts the chain; push false when it will be 対象外', () => {
    expect(reportPlan(undefined, report())).toMatchObject({ kind: 'signal', push: true });
    expect(reportPlan(undefined, report({ managementClass: '予約' }))).toMatchObject({ kind: 'signal', push: false });
  });
  test('対象外 then 通常: a new run at 空欄; still 対象外: only stored', () => {
    expect(reportPlan(row(LINK_STATUS.notTarget, { managementClass: '予約' }), report())).toMatchObject({
      kind: 'reopen', push: true, resume: { status: LINK_STATUS.blank, completionReported: false, reopened: expect.any(String) },
    });
    expect(reportPlan(row(LINK_STATUS.notTarget, { bundledInto: 'P' }), report({ bundledInto: 'P', trackingNumber: 'U' }))).toMatchObject({ kind: 'store', push: false });
  });
  test('after completion: a changed ship date, carrier or tracking number is pushed again; the same data is not', () => {
    for (const change of [{ shipDate: '2026-11-21' }, { carrier: '2' }, { trackingNumber: 'U' }]) {
      expect(reportPlan(row(LINK_STATUS.completed), report(change))).toMatchObject({ kind: 'reopen', push: true, resume: { completionReported: true } });
    }
    expect(reportPlan(row(LINK_STATUS.completed), report())).toMatchObject({ kind: 'store', push: false });
    expect(reportPlan(row(LINK_STATUS.completed), report({ splitFrom: 'X' }))).toMatchObject({ kind: 'store', push: false });
  });
  test('a running chain: a correction at 出荷情報反映済み pushes; at an error it waits for the reset', () => {
    expect(reportPlan(row(LINK_STATUS.shipped), report({ trackingNumber: 'U' }))).toMatchObject({ kind: 'signal', push: true });
    expect(reportPlan(row(LINK_STATUS.shipped), report())).toMatchObject({ kind: 'signal', push: false });
    expect(reportPlan(row(LINK_STATUS.statusError), report({ trackingNumber: 'U' }))).toMatchObject({ kind: 'signal', push: false, reason: expect.stringContaining('reset') });
    expect(reportPlan(row(LINK_STATUS.blank), report({ trackingNumber: 'U' }))).toMatchObject({ kind: 'signal', push: true });
  });
});
