import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { listMails, setThrottleSettings } from '../../db/mail-log';
import { AU_PAY_ERROR_SUBJECTS } from '../../mail/au-pay-error-mail';
import { LINK_STATUS, type ShipmentReport } from '../../workflows/au-pay-link-status';
import { resetLinkStatusUpdate } from '../../workflows/au-pay-shipment-messages';
import { auPayShipmentWorkflow } from '../../workflows/au-pay-shipment';
import { mailThrottleSummariesWorkflow } from '../../workflows/mail-throttle-summaries';
import { auPayShipmentWorkflowId } from '../../workflows/workflow-ids';
import { newShipment, NOTIFY_EMAIL, SHOP_ID } from '../support/au-pay-fixtures';
import { startTimeSkippingRig, type TimeSkippingRig } from '../support/time-skipping-rig';
import { until } from '../support/until';
import { recordHistory } from '../support/record-history';

/**
 * #1241 on the time-skipping server: 50 shipments fail their precondition, so 50 error mails go to the shop's one
 * address inside one window. With a threshold of 5 the SMTP sink gets 5, 45 are logged as held back, and when the
 * window has ended one summary says so.
 */
let rig: TimeSkippingRig;
let env: TestWorkflowEnvironment;
const taskQueue = 'mail-throttle-test';
const reports: ShipmentReport[] = [];

beforeAll(async () => {
  rig = await startTimeSkippingRig(taskQueue);
  env = rig.env;
});
afterAll(async () => {
  for (const r of reports) {
    await env.client.workflow.getHandle(auPayShipmentWorkflowId(r.shopId, r.orderId)).executeUpdate(resetLinkStatusUpdate, { args: [LINK_STATUS.completed] }).catch(() => undefined);
  }
  await rig?.stop();
});

test('50 error mails to one address in a window: 5 sent, 45 held back, 1 summary when the window ends', async () => {
  const { db, sandbox } = rig;
  await setThrottleSettings(db.pool, SHOP_ID, { windowSeconds: 3600, threshold: 5 });
  // start at the top of a window, so all 50 land in one
  const now = await env.currentTimeMs();
  await env.sleep(3_600_000 - (now % 3_600_000) + 1000);
  sandbox.sink.clear();

  for (let i = 0; i < 50; i++) {
    const report = await newShipment(db.pool, sandbox, { shipDate: null });
    reports.push(report);
    await env.client.workflow.start(auPayShipmentWorkflow, { workflowId: auPayShipmentWorkflowId(report.shopId, report.orderId), taskQueue, args: [report] });
  }
  // all 50 admitted and settled: a mail being sent is logged 'sending' until the SMTP sink has taken it
  const log = await until(async () => {
    const mails = await listMails(db.pool, SHOP_ID, { limit: 100 });
    return mails.length >= 50 && mails.every((m) => m.status !== 'sending') && mails;
  }, 60_000, 100);
  expect(log).toHaveLength(50);
  expect(log.filter((m) => m.status === 'sent')).toHaveLength(5);
  expect(log.filter((m) => m.status === 'suppressed')).toHaveLength(45);
  expect(new Set(log.map((m) => m.subject))).toEqual(new Set([AU_PAY_ERROR_SUBJECTS.shipping]));
  expect(sandbox.sink.messages()).toHaveLength(5);

  // before the window ends there is nothing to summarize
  expect(await env.client.workflow.execute(mailThrottleSummariesWorkflow, { workflowId: 'summaries-early', taskQueue })).toBe(0);

  await env.sleep('1 hour');
  expect(await env.client.workflow.execute(mailThrottleSummariesWorkflow, { workflowId: 'summaries-1', taskQueue })).toBe(1);
  await recordHistory(env.client.workflow.getHandle('summaries-1'), 'mail-throttle-summaries-one-sent');
  expect(await env.client.workflow.execute(mailThrottleSummariesWorkflow, { workflowId: 'summaries-2', taskQueue })).toBe(0); // once only

  const messages = sandbox.sink.messages();
  expect(messages).toHaveLength(6);
  const summary = messages[5]!;
  expect(summary.to).toEqual([NOTIFY_EMAIL]);
  expect(summary.subject).toBe('【renkei】同一アドレスへの大量配信を停止しました(45件)');
  expect(summary.text).toContain('45 mails to this address were held back');
  expect(summary.text).toContain(AU_PAY_ERROR_SUBJECTS.shipping);
  expect((await listMails(db.pool, SHOP_ID, { limit: 100 })).filter((m) => m.isSummary)).toHaveLength(1);
});
