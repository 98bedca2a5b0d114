import nodemailer from 'nodemailer';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { until } from '../support/until';

/** The mail sink's page: what a developer reads in a browser, mails newest first, every text escaped, Japanese intact. */
let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  await sandbox?.stop();
});

const send = async (to: string, subject: string, text: string) => {
  const transport = nodemailer.createTransport(sandbox.smtpUrl);
  await transport.sendMail({ from: 'renkei@example.jp', to, subject, text });
  transport.close();
};
const html = (path: string) => fetch(`${sandbox.url}${path}`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });

test('a browser gets the mails as a page: subject, recipients, time and body, newest first, escaped', async () => {
  await fetch(`${sandbox.url}/mail/messages`, { method: 'DELETE' });
  await send('shop-admin@example.jp', '【au PAY】出荷情報反映エラー 注文番号 O-1', '受注 O-1 の出荷情報を反映できませんでした。\n<script>alert(1)</script> & "quotes"');
  await send('ops@example.jp', 'second <b>mail</b>', 'body two');
  await until(async () => ((await (await fetch(`${sandbox.url}/mail/messages`)).json()) as { messages: unknown[] }).messages.length === 2);

  for (const path of ['/mail', '/mail/messages']) {
    const res = await html(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
    const page = await res.text();
    expect(page).toContain('【au PAY】出荷情報反映エラー 注文番号 O-1');
    expect(page).toContain('受注 O-1 の出荷情報を反映できませんでした。');
    expect(page).toContain('shop-admin@example.jp');
    // escaped: no markup from a mail reaches the page
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(page).toContain('second &lt;b&gt;mail&lt;/b&gt;');
    // newest first, with the time in JST
    expect(page.indexOf('second &lt;b&gt;mail')).toBeLessThan(page.indexOf('【au PAY】'));
    expect(page).toMatch(/\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} JST/);
  }
  // filtered by recipient
  const filtered = await (await html('/mail?to=ops%40example.jp')).text();
  expect(filtered).toContain('second &lt;b&gt;mail');
  expect(filtered).not.toContain('【au PAY】');
});

test('programs still get JSON from /mail/messages', async () => {
  const res = await fetch(`${sandbox.url}/mail/messages`);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const { messages } = (await res.json()) as { messages: Array<{ subject: string }> };
  expect(messages.map((m) => m.subject)).toContain('second <b>mail</b>');
  const forced = await html('/mail/messages?format=json');
  expect(forced.headers.get('content-type')).toMatch(/^application\/json/);
});
