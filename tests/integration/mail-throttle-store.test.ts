import { admitMail, claimDueSummaries, listMails, type ThrottleSettings } from '../../db/mail-log';
import { createThrottledMailer } from '../../mail/throttled-mailer';
import type { Mailer } from '../../mail/mailer';
import { startTestDatabase, type TestDatabase } from '../support/database';

/** The throttle's state lives in PostgreSQL: many senders at once, retries and end users, on the real database. */
let db: TestDatabase;
beforeAll(async () => {
  db = await startTestDatabase();
});
afterAll(() => db?.stop());

const settings: ThrottleSettings = { windowSeconds: 600, threshold: 5 };
const at = new Date('2026-11-23T10:00:30Z');

test('20 senders at once against a threshold of 5: exactly 5 go out', async () => {
  const decisions = await Promise.all(
    Array.from({ length: 20 }, (_, i) => admitMail(db.pool, { shopId: 'race', recipient: 'ops@race.jp', subject: `s${i}`, audience: 'admin', dedupeKey: `race-${i}`, at }, settings)),
  );
  expect(decisions.filter((d) => d.status === 'sending')).toHaveLength(5);
  expect(decisions.filter((d) => d.status === 'suppressed')).toHaveLength(15);
});

test('a retried activity (same dedupe key) gets its first decision back and is not counted again', async () => {
  const mail = { shopId: 'retry', recipient: 'ops@retry.jp', subject: 's', audience: 'admin' as const, at };
  const first = await admitMail(db.pool, { ...mail, dedupeKey: 'wf:1' }, { ...settings, threshold: 1 });
  const again = await admitMail(db.pool, { ...mail, dedupeKey: 'wf:1' }, { ...settings, threshold: 1 });
  expect(first).toMatchObject({ status: 'sending', replay: false });
  expect(again).toMatchObject({ logId: first.logId, status: 'sending', replay: true });
  // the one slot is still the first mail's: the next mail is held back
  expect((await admitMail(db.pool, { ...mail, dedupeKey: 'wf:2' }, { ...settings, threshold: 1 })).status).toBe('suppressed');
});

test('mails to end users are never held back; the next window starts afresh; addresses count apart', async () => {
  const sent: string[] = [];
  const smtp: Mailer = { send: async (m) => (sent.push(`${m.to}|${m.subject}`), { messageId: 'x', sent: true }), close: () => undefined };
  let now = new Date('2026-11-23T11:00:01Z');
  const mailer = createThrottledMailer(db.pool, smtp, { now: () => now });
  await db.pool.query(`INSERT INTO mail_throttle_settings VALUES ('shop-e', 600, 2)`);
  for (let i = 0; i < 4; i++) await mailer.send({ to: 'buyer@example.jp', subject: `order ${i}`, text: '', shopId: 'shop-e', audience: 'end-user' });
  for (let i = 0; i < 4; i++) await mailer.send({ to: 'Ops@Shop-E.jp', subject: `error ${i}`, text: '', shopId: 'shop-e' });
  await mailer.send({ to: 'other@shop-e.jp', subject: 'error x', text: '', shopId: 'shop-e' });
  now = new Date('2026-11-23T11:10:01Z');
  await mailer.send({ to: 'ops@shop-e.jp', subject: 'error next window', text: '', shopId: 'shop-e' });

  expect(sent).toEqual([
    'buyer@example.jp|order 0', 'buyer@example.jp|order 1', 'buyer@example.jp|order 2', 'buyer@example.jp|order 3',
    'Ops@Shop-E.jp|error 0', 'Ops@Shop-E.jp|error 1', 'other@shop-e.jp|error x', 'ops@shop-e.jp|error next window',
  ]);
  const held = await listMails(db.pool, 'shop-e', { status: 'suppressed', limit: 10 });
  expect(held.map((m) => m.subject).sort()).toEqual(['error 2', 'error 3']);
  const due = await claimDueSummaries(db.pool, new Date('2026-11-23T11:10:00Z'));
  expect(due.filter((d) => d.shopId === 'shop-e')).toEqual([
    expect.objectContaining({ recipient: 'ops@shop-e.jp', suppressed: 2, subjects: ['error 2', 'error 3'] }),
  ]);
});

test('an SMTP failure is logged as failed and the retry sends it without counting it twice', async () => {
  let fail = true;
  const smtp: Mailer = {
    send: async () => {
      if (fail) throw new Error('connection refused');
      return { messageId: 'ok', sent: true };
    },
    close: () => undefined,
  };
  const mailer = createThrottledMailer(db.pool, smtp, { now: () => at });
  await expect(mailer.send({ to: 'ops@fail.jp', subject: 'x', text: '', shopId: 'fail' })).rejects.toThrow('connection refused');
  expect((await listMails(db.pool, 'fail', { limit: 5 }))[0]).toMatchObject({ status: 'failed', error: 'connection refused' });
  fail = false;
  await mailer.send({ to: 'ops@fail.jp', subject: 'x', text: '', shopId: 'fail' });
  expect((await listMails(db.pool, 'fail', { limit: 5 })).map((m) => m.status)).toEqual(['sent', 'failed']);
});
