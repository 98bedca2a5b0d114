import { useEffect, useState } from 'preact/hooks';
import { get, qs } from '../api';
import { actionForms } from '../actions';
import { go, useLoad, useSelection } from '../hooks';
import { label, PROCESS_LABEL } from '../labels';
import { cell, yen } from '../format';
import { useSession } from '../session';
import { BulkBar } from '../components/BulkBar';
import { Pager } from '../components/Pager';
import { Since } from '../components/Since';

interface Item { process: string; orderId: string; status: string; since: string; workflowId: string; fields: Record<string, string | number | boolean | null> }
interface Answer { process: string; items: Item[]; nextCursor: string | null; counts: Record<string, number>; statuses?: string[] }

/** Each process's own columns (GET /orders' fields), in Japanese. */
const COLUMNS: Record<string, Array<[field: string, title: string]>> = {
  'au-pay': [['auPayOrderId', 'au PAY 注文番号'], ['shipDate', '発送日'], ['carrier', '配送会社'], ['trackingNumber', '送り状番号'], ['linkStatusManual', '手動変更']],
  oplux: [['amountJpy', '金額'], ['result', '審査結果'], ['manualResult', '目視審査結果']],
  yahoo: [['deadline', '変更期限'], ['payMethod', '支払方法']],
  cancel: [['provider', '決済代行会社'], ['step', '段階']],
  'amazon-pay': [['chargeId', 'Charge ID'], ['amountJpy', '金額'], ['reviewResult', '審査結果レポート']],
  'amazon-pay-recurring': [['nextChargeAt', '次回請求'], ['monthTotalJpy', '今月の合計'], ['monthlyCapJpy', '月上限'], ['expiresAt', '有効期限'], ['cycle', '回数']],
  'amount-change': [['fromJpy', '変更前'], ['toJpy', '変更後']],
  'order-out': [['attempts', '試行回数'], ['target', '送信先'], ['lastError', '最後のエラー']],
  shipment: [['shipDate', '出荷日'], ['carrier', '配送会社'], ['trackingNumber', '配送伝票番号'], ['captureError', '売上確定エラー']],
};
const MONEY = /Jpy$/;

/** One process's orders (受注データ管理): counts per status as filters, the seed's columns, tick and act in bulk. */
export function ProcessList({ process, query }: { process: string; query: URLSearchParams }) {
  const { base, canAct } = useSession();
  const status = query.get('status') ?? '';
  const orderId = query.get('orderId') ?? '';
  const review = query.get('review') ?? '';
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const { data, error, reload } = useLoad(() => get<Answer>(`${base}/orders${qs({ process, status, orderId, cursor, limit: 50 })}`), `${base}|${process}|${status}|${orderId}|${cursor ?? ''}`);
  const sel = useSelection();
  const [actions, setActions] = useState<string[]>([]);
  useEffect(() => {
    void actionForms().then((f) => setActions(Object.keys(f).filter((a) => f[a]!.process === process)));
  }, [process]);
  const filter = (q: Record<string, string | undefined>) => {
    setCursors([]);
    sel.clear();
    go(`/orders/${process}`, { status, orderId, review, ...q });
  };
  // the Amazon Pay review report's OK / ERROR lists (seed 000)
  const items = (data?.items ?? []).filter((i) => !review || i.fields.reviewResult === review);
  const ticked = items.filter((i) => sel.selected.has(i.orderId));
  const columns = COLUMNS[process] ?? [];

  return (
    <section>
      <h1>{label(PROCESS_LABEL, process)}</h1>
      <div class="chips" aria-label="ステータス別件数">
        <button type="button" class={status ? '' : 'active'} onClick={() => filter({ status: undefined })}>すべて</button>
        {Object.entries(data?.counts ?? {}).map(([s, n]) => (
          <button type="button" key={s} class={s === status ? 'active' : ''} onClick={() => filter({ status: s })}>{s} <span class="badge">{n}</span></button>
        ))}
      </div>
      <form class="filters" onSubmit={(e) => { e.preventDefault(); filter({ orderId: String(new FormData(e.target as HTMLFormElement).get('orderId') ?? '') }); }}>
        {/* seed 004: 注文一括処理 searches by the API連携ステータス chosen from a pull-down (every status, not only those present) */}
        <label>ステータス
          <select value={status} onChange={(e) => filter({ status: (e.target as HTMLSelectElement).value })}>
            <option value="">すべて</option>
            {(data?.statuses ?? Object.keys(data?.counts ?? {})).map((s) => <option key={s} value={s}>{s}({data?.counts[s] ?? 0})</option>)}
          </select>
        </label>
        <label>注文番号(前方一致)<input name="orderId" defaultValue={orderId} /></label>
        {process === 'amazon-pay' && (
          <label>審査結果レポート
            <select value={review} onChange={(e) => filter({ review: (e.target as HTMLSelectElement).value })}>
              <option value="">すべて</option><option value="OK">OK</option><option value="ERROR">ERROR</option>
            </select>
          </label>
        )}
        <button type="submit">検索</button>
        {process === 'yahoo' && <a href="#/yahoo-windows">期限順に見る</a>}
        {process === 'order-out' && <a href="#/deliveries">配信ログ</a>}
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {canAct && <BulkBar actions={actions} count={ticked.length} orderIdsFor={() => ticked.map((i) => i.orderId)} onDone={() => { sel.clear(); reload(); }} />}
      <table class="list">
        <thead>
          <tr>
            {canAct && <th><input type="checkbox" aria-label="すべて選択" checked={items.length > 0 && ticked.length === items.length}
              onChange={(e) => sel.setAll(items.map((i) => i.orderId), (e.target as HTMLInputElement).checked)} /></th>}
            <th>注文番号</th><th>ステータス</th><th>変更日時</th>{columns.map(([, t]) => <th key={t}>{t}</th>)}
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.orderId} data-testid={`order-${i.orderId}`} class={/エラー|失敗|ERROR/.test(i.status) ? 'row-error' : ''}>
              {canAct && <td><input type="checkbox" aria-label={`${i.orderId} を選択`} checked={sel.selected.has(i.orderId)} onChange={() => sel.toggle(i.orderId)} /></td>}
              <td><a href={`#/order/${encodeURIComponent(i.orderId)}`}>{i.orderId}</a></td>
              <td><span class="status">{i.status}</span></td>
              <td><Since at={i.since} /></td>
              {columns.map(([f]) => <td key={f}>{MONEY.test(f) ? yen(i.fields[f]) : cell(i.fields[f])}</td>)}
            </tr>
          ))}
          {data && items.length === 0 && <tr><td colSpan={columns.length + 4}>該当する注文はありません。</td></tr>}
        </tbody>
      </table>
      <Pager cursors={cursors} next={data?.nextCursor} onPage={(c) => { sel.clear(); setCursors(c); }} />
    </section>
  );
}

interface Window { orderId: string; windowStatus: string; deadline: string; payMethod: string | null; decision: string | null; decidedBy: string | null; lastError: string | null }

/** Yahoo's payment-method-change windows, the nearest deadline first. */
export function YahooWindows() {
  const { base } = useSession();
  const { data, error } = useLoad(() => get<{ windows: Window[] }>(`${base}/yahoo/windows?limit=500`), base);
  const rows = [...(data?.windows ?? [])].sort((a, b) => a.deadline.localeCompare(b.deadline));
  return (
    <section>
      <h1>Yahoo 支払方法変更期限</h1>
      {error && <p class="error" role="alert">{error}</p>}
      <table class="list">
        <thead><tr><th>注文番号</th><th>状態</th><th>変更期限</th><th>支払方法</th><th>判断</th><th>判断者</th><th>エラー</th></tr></thead>
        <tbody>
          {rows.map((w) => (
            <tr key={w.orderId}>
              <td><a href={`#/order/${encodeURIComponent(w.orderId)}`}>{w.orderId}</a></td>
              <td><span class="status">{w.windowStatus}</span></td>
              <td><Since at={w.deadline} /></td>
              <td>{cell(w.payMethod)}</td><td>{cell(w.decision)}</td><td>{cell(w.decidedBy)}</td><td class="reason">{w.lastError ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
