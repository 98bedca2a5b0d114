/**
 * The reference page beside /openapi.json: one self-contained HTML page (no CDN, works offline) whose script reads the
 * document and shows each operation by tag, with its role, parameters, body and answers. Text goes in through
 * textContent only, so nothing in the document is taken as HTML.
 */
export const REFERENCE_PAGE = `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>renkei API reference</title>
<style>
body{font:14px/1.5 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:12px 24px}header h1{font-size:18px;margin:0}header p{margin:4px 0 0;opacity:.8}
main{display:grid;grid-template-columns:220px 1fr;gap:24px;padding:16px 24px}
nav a{display:block;color:#1d2330;text-decoration:none;padding:2px 0}nav a:hover{text-decoration:underline}
section h2{font-size:16px;border-bottom:1px solid #cdd2da;padding-bottom:4px;margin:24px 0 8px}
details{background:#fff;border:1px solid #dde1e7;border-radius:6px;margin:6px 0}
summary{cursor:pointer;padding:6px 10px;display:flex;gap:10px;align-items:baseline}
.m{font:600 12px monospace;text-transform:uppercase;min-width:52px;text-align:center;border-radius:4px;padding:1px 4px;color:#fff}
.get{background:#2f7d4f}.post{background:#2360a8}.put{background:#a86c12}.patch{background:#7a4aa8}.delete{background:#b23a3a}
.p{font-family:monospace}.s{color:#55607a}.role{margin-left:auto;font-size:12px;color:#55607a}
.body{padding:4px 14px 12px}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eef0f3;text-align:left;padding:3px 6px;vertical-align:top}
pre{background:#f2f4f7;padding:8px;overflow:auto;max-height:360px;font-size:12px}h4{margin:10px 0 4px}
input{padding:4px 8px;width:100%;box-sizing:border-box;margin-bottom:8px}
</style></head>
<body><header><h1>renkei API reference</h1><p id="info"></p></header>
<main><nav><input id="filter" placeholder="filter: path, summary, tag"><div id="toc"></div></nav><div id="ops">loading openapi.json…</div></main>
<script>
(async () => {
  const el = (tag, attrs = {}, ...kids) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    for (const k of kids) e.append(k instanceof Node ? k : document.createTextNode(String(k)));
    return e;
  };
  const json = (v) => el('pre', {}, JSON.stringify(v, null, 2));
  const doc = await (await fetch('openapi.json')).json();
  document.getElementById('info').textContent = doc.info.title + ' — OpenAPI ' + doc.openapi + ' — ' + doc.info.description;
  const byTag = new Map();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = (op.tags || ['other'])[0];
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push({ path, method, op });
    }
  }
  const ops = document.getElementById('ops'), toc = document.getElementById('toc');
  ops.textContent = '';
  for (const [tag, list] of byTag) {
    const id = 'tag-' + tag.replace(/[^A-Za-z0-9]+/g, '-');
    toc.append(el('a', { href: '#' + id }, tag + ' (' + list.length + ')'));
    const section = el('section', { id }, el('h2', {}, tag));
    for (const { path, method, op } of list) {
      const body = el('div', { class: 'body' }, el('p', {}, op.description || ''));
      if (op.parameters && op.parameters.length) {
        const t = el('table', {}, el('tr', {}, el('th', {}, 'name'), el('th', {}, 'in'), el('th', {}, 'required'), el('th', {}, 'schema')));
        for (const p of op.parameters) t.append(el('tr', {}, el('td', { class: 'p' }, p.name), el('td', {}, p.in), el('td', {}, p.required ? 'yes' : ''), el('td', {}, json(p.schema))));
        body.append(el('h4', {}, 'Parameters'), t);
      }
      if (op.requestBody) {
        for (const [media, c] of Object.entries(op.requestBody.content)) {
          body.append(el('h4', {}, 'Body (' + media + (op.requestBody.required ? ', required' : ', optional') + ')'), json(c.schema));
        }
      }
      body.append(el('h4', {}, 'Responses'));
      for (const [code, r] of Object.entries(op.responses)) {
        const c = r.content && Object.values(r.content)[0];
        const d = el('details', {}, el('summary', {}, el('b', {}, code), ' ', r.description));
        if (c && c.schema) d.append(el('div', { class: 'body' }, json(c.schema)));
        body.append(d);
      }
      const role = op['x-renkei-role'] ? 'role: ' + op['x-renkei-role'] : 'no token';
      const d = el('details', { 'data-text': (tag + ' ' + path + ' ' + op.summary).toLowerCase() },
        el('summary', {}, el('span', { class: 'm ' + method }, method), el('span', { class: 'p' }, path), el('span', { class: 's' }, op.summary), el('span', { class: 'role' }, role)),
        body);
      section.append(d);
    }
    ops.append(section);
  }
  document.getElementById('filter').addEventListener('input', (e) => {
    const q = e.target.value.toLowerCase();
    for (const d of ops.querySelectorAll('details[data-text]')) d.style.display = d.dataset.text.includes(q) ? '' : 'none';
  });
})().catch((err) => { document.getElementById('ops').textContent = 'could not read openapi.json: ' + err; });
</script></body></html>
`;
