import { useState } from 'preact/hooks';
import { get, qs } from '../api';
import { go, useLoad } from '../hooks';
import { ACTION_LABEL, label, OUTCOME_LABEL, PROCESS_LABEL } from '../labels';
import { useSession } from '../session';
import { Pager } from '../components/Pager';
import { Since } from '../components/Since';

interface Entry { id: string; at: string; operator: string; process: string | null; orderId: string | null; action: string; input: unknown; outcome: string; reason: string | null; bulkId: string | null }

/** 操作ログ: who did what to which order and how it ended, newest first. */
export function Audit({ query }: { query: URLSearchParams }) {
  const { base } = useSession();
  const orderId = query.get('orderId') ?? '';
  const operator = query.get('operator') ?? '';
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const { data, error } = useLoad(() => get<{ entries: Entry[]; nextCursor: string | null }>(`${base}/audit${qs({ orderId, operator, cursor, limit: 50 })}`), `${base}|${orderId}|${operator}|${cursor ?? ''}`);
  const search = (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    setCursors([]);
    go('/audit', { orderId: String(f.get('orderId') ?? ''), operator: String(f.get('operator') ?? '') });
  };
  return (
    <section>
      <h1>操作ログ</h1>
      <form class="filters" onSubmit={search}>
        <label>注文番号<input name="orderId" defaultValue={orderId} /></label>
        <label>担当者<input name="operator" defaultValue={operator} /></label>
        <button type="submit">検索</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      <table class="list">
        <thead><tr><th>日時</th><th>担当者</th><th>処理</th><th>注文番号</th><th>操作</th><th>入力</th><th>結果</th><th>理由</th></tr></thead>
        <tbody>
          {(data?.entries ?? []).map((e) => (
            <tr key={e.id} class={e.outcome === 'applied' ? '' : 'row-error'}>
              <td><Since at={e.at} /></td>
              <td>{e.operator}</td>
              <td>{e.process ? label(PROCESS_LABEL, e.process) : '—'}</td>
              <td>{e.orderId ? <a href={`#/order/${encodeURIComponent(e.orderId)}`}>{e.orderId}</a> : '—'}</td>
              <td>{label(ACTION_LABEL, e.action)}{e.bulkId && <> (<a href={`#/bulk/${e.bulkId}`}>一括</a>)</>}</td>
              <td><code>{e.input === null ? '' : JSON.stringify(e.input)}</code></td>
              <td>{label(OUTCOME_LABEL, e.outcome)}</td>
              <td class="reason">{e.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager cursors={cursors} next={data?.nextCursor} onPage={setCursors} />
    </section>
  );
}
