import { useEffect, useState } from 'preact/hooks';
import { api, get } from '../api';
import type { BulkSummary } from '../actions';
import { ACTION_LABEL, BULK_STATUS_LABEL, label, OUTCOME_LABEL } from '../labels';
import { useSession } from '../session';
import { ConfirmDialog } from './ConfirmDialog';

export interface BulkDetail extends BulkSummary { orders: Array<{ orderId: string; outcome: string | null; reason: string | null }> }

/** A bulk action's progress, polled until it is no longer running: done / total and the outcome of each order. */
export function BulkProgress({ base, id, showOrders = true }: { base: string; id: string; showOrders?: boolean }) {
  const [b, setB] = useState<BulkDetail>();
  const [error, setError] = useState<string>();
  const [abort, setAbort] = useState(false);
  const [round, setRound] = useState(0);
  const { canAct } = useSession();
  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = await get<BulkDetail>(`${base}/bulk-actions/${id}?limit=1000`);
        if (stop) return;
        setB(next);
        if (next.status === 'running') timer = setTimeout(() => void poll(), 500);
      } catch (err) {
        if (!stop) setError(err instanceof Error ? err.message : String(err));
      }
    };
    void poll();
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [base, id, round]);
  if (error) return <p class="error" role="alert">{error}</p>;
  if (!b) return <p>読み込み中…</p>;
  return (
    <div class="bulk-progress" data-testid="bulk-progress">
      <p>
        {label(ACTION_LABEL, b.action)}: <strong data-testid="bulk-status">{label(BULK_STATUS_LABEL, b.status)}</strong>{' '}
        <span data-testid="bulk-done">{b.done}/{b.total}</span>
      </p>
      <progress max={b.total} value={b.done} aria-label="進捗" />
      {canAct && b.status === 'running' && <button type="button" onClick={() => setAbort(true)}>中止</button>}
      {abort && (
        <ConfirmDialog title="一括処理の中止" message="まだ処理していない注文には実行しません(処理中の注文は完了します)。" run={() => api('POST', `${base}/bulk-actions/${id}/cancel`)}
          onClose={() => { setAbort(false); setRound((r) => r + 1); }} />
      )}
      <p class="counts">
        実行済み {b.applied}・拒否 {b.refused}・対象なし {b.notFound}・失敗 {b.failed}・中止 {b.canceled}
      </p>
      {showOrders && (
        <table>
          <thead><tr><th>注文番号</th><th>結果</th><th>理由</th></tr></thead>
          <tbody>
            {b.orders.map((o) => (
              <tr key={o.orderId} class={o.outcome && o.outcome !== 'applied' ? 'row-error' : ''}>
                <td><a href={`#/order/${encodeURIComponent(o.orderId)}`}>{o.orderId}</a></td>
                <td>{label(OUTCOME_LABEL, o.outcome ?? 'pending')}</td>
                <td>{o.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
