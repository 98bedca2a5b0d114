import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { auPayKeyExpiry } from '../../accounts/api-key-expiry';
import { jstDate } from '../../common/jst';
import type { AccountStore } from '../../db/provider-accounts';
import { AU_PAY_KEY_REMINDER_SUBJECT } from '../../mail/api-key-reminder-mail';
import { apiKeyRemindersWorkflow } from '../../workflows/api-key-reminders';
import { NOTIFY_EMAIL, SHOP_ID } from '../support/au-pay-fixtures';
import { testAccounts } from '../support/order-out-fixtures';
import { startTimeSkippingRig, type TimeSkippingRig } from '../support/time-skipping-rig';
import { recordHistory } from '../support/record-history';

/** The au PAY API key's 90 days (spec part B) on the time-skipping server: one reminder 14 days before, per key. */
let rig: TimeSkippingRig;
let env: TestWorkflowEnvironment;
let accounts: AccountStore;
const taskQueue = 'api-key-reminder-test';

beforeAll(async () => {
  rig = await startTimeSkippingRig(taskQueue, {
    deps: ({ db }) => {
      accounts = testAccounts(db.pool);
      return { accounts, notifyEmail: (s) => (s === SHOP_ID ? NOTIFY_EMAIL : undefined) };
    },
  });
  env = rig.env;
});
afterAll(() => rig?.stop());

let run = 0;
const remind = () => env.client.workflow.execute(apiKeyRemindersWorkflow, { workflowId: `key-reminders-${++run}`, taskQueue, workflowExecutionTimeout: '1 minute' });

test('the expiry counts JST calendar days', () => {
  expect(auPayKeyExpiry('2026-09-01', '2026-11-16')).toEqual({ expiresOn: '2026-11-30', daysLeft: 14, remind: true });
  expect(auPayKeyExpiry('2026-09-01', '2026-11-15')).toMatchObject({ daysLeft: 15, remind: false });
  expect(auPayKeyExpiry('2026-12-01', '2027-02-15')).toMatchObject({ expiresOn: '2027-03-01', daysLeft: 14 });
});

test('a key issued today: nothing until day 76, one mail then, none the next day; a renewed key gets its own', async () => {
  const issuedOn = jstDate(new Date(await env.currentTimeMs()));
  await accounts.put(SHOP_ID, 'au-pay', { shopId: '12345678', apiKey: 'au-pay-key-0001-secret', apiKeyIssuedOn: issuedOn });
  rig.sandbox.sink.clear();

  expect(await remind()).toEqual([]);
  await env.sleep('75 days');
  expect(await remind()).toEqual([]);
  await env.sleep('1 day');
  expect(await remind()).toEqual([SHOP_ID]);
  await recordHistory(env.client.workflow.getHandle(`key-reminders-${run}`), 'api-key-reminders-one-mailed');
  await env.sleep('1 day');
  expect(await remind()).toEqual([]);

  const mails = rig.sandbox.sink.messages();
  expect(mails).toHaveLength(1);
  expect(mails[0]).toMatchObject({ subject: AU_PAY_KEY_REMINDER_SUBJECT, to: [NOTIFY_EMAIL] });
  expect(mails[0]!.text).toContain(auPayKeyExpiry(issuedOn, issuedOn).expiresOn);
  expect(mails[0]!.text).not.toContain('au-pay-key-0001-secret');

  const renewedOn = jstDate(new Date(await env.currentTimeMs()));
  await accounts.put(SHOP_ID, 'au-pay', { shopId: '12345678', apiKey: 'au-pay-key-0002-secret', apiKeyIssuedOn: renewedOn });
  expect(await remind()).toEqual([]);
  await env.sleep('76 days');
  expect(await remind()).toEqual([SHOP_ID]);
  expect(rig.sandbox.sink.messages()).toHaveLength(2);
});
