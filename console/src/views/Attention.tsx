import { useState } from 'preact/hooks';
import { get, qs } from '../api';
import { go, useLoad, useSelection } from '../hooks';
import { ACTION_LABEL, label, PROCESS_LABEL, PROCESSES } from '../labels';
import { useSession } from '../session';
import { ActionDialog } from '../components/ActionDialog';
import { BulkBar } from '../components/BulkBar';
import { Pager } from '../components/Pager';
import { Since } from '../components/Since';

interface Item { process: string; orderId: string; status: string; since: string; reason: string; actions: string[]; workflowId: string }
interface Answer { items: Item[]; nextCursor: string | null; counts: Array<{ process: string; status: string; count: number }> }

const keyOf = (i: Item) => `${i.process}|${i.orderId}`;

/** 要対応一覧: every order waiting for a person or stopped at an error, across processes, with counts per process and status. */
export function Attention({ query }: { query: URLSearchParams }) {
  const { base, canAct } = useSession();
  const process = query.get('process') ?? '';
  const status = query.get('status') ?? '';
  const olderThan = query.get('olderThan') ?? '';
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const { data, error, reload } = useLoad(() => get<Answer>(`${base}/attention${qs({ process, status, olderThan, cursor, limit: 50 })}`), `${base}|${process}|${status}|${olderThan}|${cursor ?? ''}`);
  const sel = useSelection();
  const [single, setSingle] = useState<{ action: string; orderId: string }>();
  const filter = (q: Record<string, string | undefined>) => {
    setCursors([]);
    sel.clear();
    go('/attention', { process, status, olderThan, ...q });
  };

  const byProcess = new Map<string, Array<{ status: string; count: number }>>();
  for (const c of data?.counts ?? []) byProcess.set(c.process, [...(byProcess.get(c.process) ?? []), c]);
  const items = data?.items ?? [];
  const ticked = items.filter((i) => sel.selected.has(keyOf(i)));
  const bulkActions = [...new Set(ticked.flatMap((i) => i.actions))];
  const statuses = [...new Set((data?.counts ?? []).filter((c) => !process || c.process === process).map((c) => c.status))];

  return (
    <section>
      <h1>要対応一覧</h1>
      <div class="counts-grid" aria-label="処理別件数">
        {PROCESSES.filter((p) => byProcess.has(p)).map((p) => (
          <div class="count-card" key={p}>
            <a href="#" onClick={(e) => { e.preventDefault(); filter({ process: p, status: undefined }); }}>
              <strong>{PROCESS_LABEL[p]}</strong> <span class="badge">{byProcess.get(p)!.reduce((n, c) => n + c.count, 0)}</span>
            </a>
            <ul>
              {byProcess.get(p)!.map((c) => (
                <li key={c.status}>
                  <a href="#" onClick={(e) => { e.preventDefault(); filter({ process: p, status: c.status }); }}>{c.status}</a> <span class="badge">{c.count}</span>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>処理
          <select value={process} onChange={(e) => filter({ process: (e.target as HTMLSelectElement).value, status: undefined })}>
            <option value="">すべて</option>
            {PROCESSES.map((p) => <option key={p} value={p}>{PROCESS_LABEL[p]}</option>)}
          </select>
        </label>
        <label>ステータス
          <select value={status} onChange={(e) => filter({ status: (e.target as HTMLSelectElement).value })}>
            <option value="">すべて</option>
            {statuses.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label>経過
          <select value={olderThan} onChange={(e) => filter({ olderThan: (e.target as HTMLSelectElement).value })}>
            <option value="">指定なし</option>
            <option value="1h">1時間以上</option>
            <option value="1d">1日以上</option>
            <option value="3d">3日以上</option>
          </select>
        </label>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {canAct && <BulkBar actions={bulkActions} count={ticked.length} onDone={() => { sel.clear(); reload(); }}
        orderIdsFor={(a) => ticked.filter((i) => i.actions.includes(a)).map((i) => i.orderId)} />}
      <table class="list">
        <thead>
          <tr>
            {canAct && <th><input type="checkbox" aria-label="すべて選択" checked={items.length > 0 && ticked.length === items.length}
              onChange={(e) => sel.setAll(items.map(keyOf), (e.target as HTMLInputElement).checked)} /></th>}
            <th>処理</th><th>注文番号</th><th>ステータス</th><th>理由</th><th>発生</th>{canAct && <th>操作</th>}
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={keyOf(i)} data-testid={`attention-${i.process}-${i.orderId}`} class={/エラー|失敗|ERROR/.test(i.status) ? 'row-error' : ''}>
              {canAct && <td><input type="checkbox" aria-label={`${i.orderId} を選択`} checked={sel.selected.has(keyOf(i))} onChange={() => sel.toggle(keyOf(i))} /></td>}
              <td>{label(PROCESS_LABEL, i.process)}</td>
              <td><a href={`#/order/${encodeURIComponent(i.orderId)}`}>{i.orderId}</a></td>
              <td><span class="status">{i.status}</span></td>
              <td class="reason">{i.reason}</td>
              <td><Since at={i.since} /></td>
              {canAct && <td class="actions">{i.actions.map((a) => <button type="button" key={a} onClick={() => setSingle({ action: a, orderId: i.orderId })}>{label(ACTION_LABEL, a)}</button>)}</td>}
            </tr>
          ))}
          {data && items.length === 0 && <tr><td colSpan={7}>対応が必要な注文はありません。</td></tr>}
        </tbody>
      </table>
      <Pager cursors={cursors} next={data?.nextCursor} onPage={(c) => { sel.clear(); setCursors(c); }} />
      {single && <ActionDialog action={single.action} orderIds={[single.orderId]} bulk={false} onClose={(changed) => { setSingle(undefined); if (changed) reload(); }} />}
    </section>
  );
}
