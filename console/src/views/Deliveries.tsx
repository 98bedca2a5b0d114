import { useState } from 'preact/hooks';
import { api, get, qs } from '../api';
import { go, useLoad } from '../hooks';
import { useSession } from '../session';
import { Since } from '../components/Since';
import { ConfirmDialog } from '../components/ConfirmDialog';

export interface Delivery {
  id: string; orderId: string; event: string; status: string; attempts: number; createdAt: string;
  lastError: string | null; deliveredAt: string | null;
  attemptLog: Array<{ at: string; httpStatus: number | null; error: string | null; durationMs: number }>;
}

const STATUS_LABEL: Record<string, string> = { pending: '送信待ち', delivered: '送信済み', failed: '送信失敗', held: '保留', withheld: '送信対象外' };

/** The deliveries' table: attempts, the last error, and 再送信 on a failed row. */
export function Deliveries({ rows, onRedeliver, onDone }: { rows: Delivery[]; onRedeliver: (id: string) => Promise<unknown>; onDone: () => void }) {
  const { canAct } = useSession();
  const [confirm, setConfirm] = useState<Delivery>();
  return (
    <>
      <table class="list">
        <thead><tr><th>ID</th><th>注文番号</th><th>イベント</th><th>状態</th><th>試行回数</th><th>最後のエラー</th><th>作成</th><th>送信完了</th>{canAct && <th>操作</th>}</tr></thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.id} data-testid={`delivery-${d.id}`} class={d.status === 'failed' ? 'row-error' : ''}>
              <td>{d.id}</td>
              <td><a href={`#/order/${encodeURIComponent(d.orderId)}`}>{d.orderId}</a></td>
              <td>{d.event}</td>
              <td><span class="status">{STATUS_LABEL[d.status] ?? d.status}</span></td>
              <td>{d.attempts}{d.attemptLog.length > 0 && <small> ({d.attemptLog.map((a) => a.httpStatus ?? 'ERR').join(', ')})</small>}</td>
              <td class="reason">{d.lastError ?? ''}</td>
              <td><Since at={d.createdAt} /></td>
              <td><Since at={d.deliveredAt} /></td>
              {canAct && <td>{d.status === 'failed' && <button type="button" onClick={() => setConfirm(d)}>再送信</button>}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      {confirm && (
        <ConfirmDialog title="受注データ再送信" message={`配信 ${confirm.id}(注文 ${confirm.orderId})を再送信します。`} run={() => onRedeliver(confirm.id)}
          onClose={(changed) => { setConfirm(undefined); if (changed) onDone(); }} />
      )}
    </>
  );
}

/** 配信ログ: the shop's order data OUT deliveries, by status and order. */
export function DeliveriesView({ query }: { query: URLSearchParams }) {
  const { base } = useSession();
  const status = query.get('status') ?? '';
  const orderId = query.get('orderId') ?? '';
  const { data, error, reload } = useLoad(() => get<{ deliveries: Delivery[] }>(`${base}/order-out/deliveries${qs({ status, orderId, limit: 200 })}`), `${base}|${status}|${orderId}`);
  return (
    <section>
      <h1>受注データOUT 配信ログ</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>状態
          <select value={status} onChange={(e) => go('/deliveries', { orderId, status: (e.target as HTMLSelectElement).value })}>
            <option value="">すべて</option>
            {Object.entries(STATUS_LABEL).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
          </select>
        </label>
        <label>注文番号
          <input value={orderId} onChange={(e) => go('/deliveries', { status, orderId: (e.target as HTMLInputElement).value })} />
        </label>
        <button type="button" onClick={reload}>再読み込み</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {data && <Deliveries rows={data.deliveries} onRedeliver={(id) => api('POST', `${base}/order-out/deliveries/${id}/redeliver`)} onDone={reload} />}
    </section>
  );
}
