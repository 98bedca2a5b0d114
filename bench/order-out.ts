/**
 * `npm run bench:order-out [-- --deliveries N --concurrency C --mails M]`: order data OUT and the mail throttle, each
 * against a baseline measured in the same run (machines are noisy: read the ratios).
 * - HTTP: signed deliveries (Standard Webhooks HMAC, verified by the receiver) vs unsigned plain POSTs of the same
 *   bodies to the same external-system emulator.
 * - Delivery: the real deliverOrderOut activity (outbox read, field selection, signing, POST, attempt recorded,
 *   row marked delivered in PostgreSQL) vs the plain POSTs.
 * - Throttle: M admin mails through the throttled mailer (one counted, logged decision each in PostgreSQL) vs the
 *   same mails straight to the SMTP sink; the difference per mail is the throttle's overhead.
 * Nothing is asserted on time; the run fails only if a delivery or mail went wrong.
 */
import { createOrderOutActivities } from '../activities/order-out-activities';
import { listMails, setThrottleSettings } from '../db/mail-log';
import { createMailer } from '../mail/mailer';
import { createThrottledMailer } from '../mail/throttled-mailer';
import { sendOrderOut } from '../order-out/sender';
import { connectExternalSystem, testAccounts, writeOutbox } from '../tests/support/order-out-fixtures';
import { startTestDatabase } from '../tests/support/database';
import { startTestSandbox } from '../tests/support/sandbox';
import { parseIntFlags } from './args';
import { percentile, runPhase } from './run-phase';
import { externalSystemClients } from '../workers/shop-clients';

const USAGE = 'usage: npm run bench:order-out -- [--deliveries N] [--concurrency C] [--mails M]   (defaults 2000, 20, 1000)';

async function main(): Promise<number> {
  let args: { deliveries: number; concurrency: number; mails: number };
  try {
    args = parseIntFlags(process.argv.slice(2), { deliveries: 2000, concurrency: 20, mails: 1000 }, USAGE);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  const [db, sandbox] = await Promise.all([startTestDatabase(), startTestSandbox()]);
  try {
    const accounts = testAccounts(db.pool);
    const { secret, url: signedUrl } = await connectExternalSystem(accounts, sandbox, 'bench-shop');
    await sandbox.control('POST', '/external-system/_sandbox/endpoints', { name: 'plain', secret: null });
    const plainUrl = `${sandbox.url}/external-system/receive/plain`;
    const message = (i: number) => ({
      id: `bench-${i}`, event: 'amazon-pay.authorized', shopId: 'bench-shop', orderId: `B-${i}`, occurredAt: new Date().toISOString(),
      order: { orderId: `B-${i}`, paymentStatus: '審査完了', amountJpy: 9800, delivery: { name: '山田 太郎', freeField1: '置き配' } },
    });
    const activities = createOrderOutActivities({
      db: db.pool, mailer: createMailer({ smtpUrl: sandbox.smtpUrl, from: 'bench@example.jp' }), accounts, externalSystem: externalSystemClients(accounts), notifyEmail: () => undefined,
    });
    const plain = (i: number) => sendOrderOut({ url: plainUrl, secret: null, message: message(i), timeoutMs: 10_000, now: new Date() });
    const signed = (i: number) => sendOrderOut({ url: signedUrl, secret, message: message(i), timeoutMs: 10_000, now: new Date() });

    const n = args.deliveries;
    await runPhase(100, args.concurrency, plain); // warm-up
    await runPhase(100, args.concurrency, signed);
    // alternate the two, twice, and keep each one's better run: the order of phases then favours neither
    const best = <T extends { wallMs: number }>(a: T, b: T) => (a.wallMs <= b.wallMs ? a : b);
    const plain1 = await runPhase(n, args.concurrency, plain);
    const signed1 = await runPhase(n, args.concurrency, signed);
    const plainRun = best(plain1, await runPhase(n, args.concurrency, plain));
    const signedRun = best(signed1, await runPhase(n, args.concurrency, signed));
    const ids: string[] = [];
    for (let i = 0; i < n; i += 500) {
      ids.push(...(await writeOutbox(db.pool, 'bench-shop', `D-${i}`, Array.from({ length: Math.min(500, n - i) }, (_, k) => message(i + k)).map((m) => ({ event: m.event, payload: m.order })))));
    }
    const deliverRun = await runPhase(n, args.concurrency, (i) => activities.deliverOrderOut({ outboxId: ids[i]! }));

    const bad = [...plain1.results, ...plainRun.results, ...signed1.results, ...signedRun.results].filter((r) => r.httpStatus !== 200).length;
    const refused = sandbox.externalSystem.receiver.list().filter((d) => !d.accepted).length;
    const { rows } = await db.pool.query(`SELECT count(*)::int AS c FROM order_outbox WHERE shop_id = 'bench-shop' AND status = 'delivered'`);

    // the throttle: a threshold above M, so every mail is sent and the cost is the bookkeeping alone
    const smtp = createMailer({ smtpUrl: sandbox.smtpUrl, from: 'bench@example.jp' });
    const throttled = createThrottledMailer(db.pool, smtp);
    await setThrottleSettings(db.pool, 'bench-shop', { windowSeconds: 86_400, threshold: 10_000 });
    const mail = (i: number) => ({ to: `ops${i % 10}@bench.example.jp`, subject: `bench ${i}`, text: 'x', shopId: 'bench-shop' });
    await runPhase(50, 5, (i) => smtp.send(mail(i)));
    const directMail = await runPhase(args.mails, 5, (i) => smtp.send(mail(i)));
    const throttledMail = await runPhase(args.mails, 5, (i) => throttled.send(mail(i)));
    const logged = (await listMails(db.pool, 'bench-shop', { status: 'sent', limit: 10_000 })).length;
    smtp.close();

    const rate = (r: { wallMs: number }, count: number) => (count / r.wallMs) * 1000;
    const row = (name: string, r: { wallMs: number; latencies: number[] }, count: number, base: number) =>
      `  ${name.padEnd(34)} ${rate(r, count).toFixed(0).padStart(6)}/s   p50 ${percentile(r.latencies, 50).toFixed(1).padStart(6)} ms   p99 ${percentile(r.latencies, 99).toFixed(1).padStart(6)} ms   ${(rate(r, count) / base).toFixed(2)}× baseline`;
    const plainRate = rate(plainRun, n);
    console.log(`order data OUT: ${n} deliveries, ${args.concurrency} in flight, ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`);
    console.log(row('unsigned plain POST (baseline)', plainRun, n, plainRate));
    console.log(row('signed POST, verified by receiver', signedRun, n, plainRate));
    console.log(row('deliverOrderOut activity (DB+sign)', deliverRun, n, plainRate));
    const directRate = rate(directMail, args.mails);
    console.log(`mail throttle: ${args.mails} admin mails to 10 addresses over SMTP, 5 in flight`);
    console.log(row('SMTP directly (baseline)', directMail, args.mails, directRate));
    console.log(row('throttled (count + log in PostgreSQL)', throttledMail, args.mails, directRate));
    const overheadUs = ((throttledMail.wallMs - directMail.wallMs) / args.mails) * 5 * 1000;
    console.log(`  throttle overhead per mail: about ${overheadUs.toFixed(0)} µs of a lane's time (${(throttledMail.wallMs / directMail.wallMs).toFixed(2)}× the direct run)`);

    const problems = [
      bad && `${bad} POSTs were not answered 200`,
      refused && `${refused} deliveries were refused by the receiver`,
      rows[0].c !== n && `${rows[0].c} of ${n} outbox rows delivered`,
      logged < args.mails && `${logged} of ${args.mails} throttled mails logged as sent`,
    ].filter(Boolean);
    if (problems.length) {
      console.error(`FAILED: ${problems.join('; ')}`);
      return 1;
    }
    return 0;
  } finally {
    await Promise.all([db.stop(), sandbox.stop()]);
  }
}

main().then((code) => process.exit(code), (err) => {
  console.error(err);
  process.exit(1);
});
