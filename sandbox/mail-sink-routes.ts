import { Router } from 'express';
import type { ReceivedMail, SmtpSink } from '../mail/smtp-sink';

/**
 * The SMTP sink's mails over HTTP: `GET /mail/messages` answers JSON to a program (tests, curl) and a page to a browser
 * (one that asks for text/html first; `?format=json` gets JSON anyway); `GET /mail` is the page. Both filter by `to` and `subject`; the page lists the
 * newest first. `DELETE /mail/messages` empties the sink.
 */
export function mailSinkRoutes(sink: SmtpSink): Router {
  const router = Router();
  const filterOf = (query: Record<string, unknown>) => ({
    to: typeof query.to === 'string' && query.to ? query.to : undefined,
    subjectContains: typeof query.subject === 'string' && query.subject ? query.subject : undefined,
  });
  const page = (query: Record<string, unknown>) => mailPage(sink.messages(filterOf(query)), filterOf(query));
  router.get('/mail', (req, res) => {
    res.type('html').send(page(req.query));
  });
  router.get('/mail/messages', (req, res) => {
    // a browser lists text/html before anything else; curl's */* and fetch's default get JSON, as before
    if (req.query.format !== 'json' && req.accepts(['application/json', 'text/html']) === 'text/html') {
      res.type('html').send(page(req.query));
      return;
    }
    res.json({ messages: sink.messages(filterOf(req.query)) });
  });
  router.delete('/mail/messages', (_req, res) => {
    sink.clear();
    res.status(204).end();
  });
  return router;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** 2026/11/30 19:05:03 in Japan's time: the time the shop's staff read their mails in. */
const jst = (iso: string): string =>
  new Date(iso).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** The mails as a page: subject, recipients, sender, time and body of each, newest first, every text escaped. */
export function mailPage(mails: ReceivedMail[], filter: { to?: string; subjectContains?: string } = {}): string {
  const newestFirst = [...mails].sort((a, b) => b.id - a.id);
  const items = newestFirst.map((m) => `
    <article id="mail-${m.id}">
      <h2>${escapeHtml(m.subject || '(件名なし)')}</h2>
      <dl>
        <dt>宛先 To</dt><dd>${m.to.map(escapeHtml).join(', ')}</dd>
        <dt>差出人 From</dt><dd>${escapeHtml(m.from)}</dd>
        <dt>受信 Received</dt><dd><time datetime="${escapeHtml(m.receivedAt)}">${escapeHtml(jst(m.receivedAt))} JST</time></dd>
      </dl>
      <pre>${escapeHtml(m.text)}</pre>
    </article>`).join('');
  const filtered = filter.to || filter.subjectContains;
  return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>renkei sandbox: mails (${mails.length})</title>
<style>
  body { font-family: system-ui, "Hiragino Sans", "Noto Sans JP", "Yu Gothic", sans-serif; margin: 1.5rem auto; max-width: 60rem; padding: 0 1rem; color: #222; }
  header { display: flex; align-items: baseline; gap: 1rem; flex-wrap: wrap; }
  form { display: flex; gap: .5rem; flex-wrap: wrap; }
  article { border: 1px solid #ccc; border-radius: 6px; padding: .75rem 1rem; margin: 1rem 0; }
  h2 { font-size: 1.05rem; margin: 0 0 .5rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0 0 .5rem; font-size: .9rem; color: #444; }
  dt { font-weight: 600; } dd { margin: 0; word-break: break-all; }
  pre { white-space: pre-wrap; word-break: break-word; background: #f6f6f6; padding: .75rem; border-radius: 4px; margin: 0; font-family: ui-monospace, "Noto Sans Mono CJK JP", monospace; }
</style>
</head>
<body>
<header>
  <h1>Mails <small>(${mails.length}${filtered ? ', filtered' : ''})</small></h1>
  <form method="get" action="/mail">
    <input name="to" placeholder="to" value="${escapeHtml(filter.to ?? '')}">
    <input name="subject" placeholder="subject contains" value="${escapeHtml(filter.subjectContains ?? '')}">
    <button>Filter</button> <a href="/mail">all</a> <a href="/mail/messages?format=json">JSON</a>
  </form>
</header>
${items || '<p>No mail yet.</p>'}
</body>
</html>
`;
}
