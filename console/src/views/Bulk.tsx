import { get } from '../api';
import type { BulkSummary } from '../actions';
import { useLoad } from '../hooks';
import { ACTION_LABEL, BULK_STATUS_LABEL, label } from '../labels';
import { useSession } from '../session';
import { BulkProgress } from '../components/BulkProgress';
import { Since } from '../components/Since';

/** 一括処理履歴: the shop's bulk actions, newest first, with their progress. */
export function BulkList() {
  const { base } = useSession();
  const { data, error } = useLoad(() => get<{ bulkActions: BulkSummary[] }>(`${base}/bulk-actions?limit=100`), base);
  return (
    <section>
      <h1>一括処理履歴</h1>
      {error && <p class="error" role="alert">{error}</p>}
      <table class="list">
        <thead><tr><th>開始</th><th>操作</th><th>担当者</th><th>状態</th><th>進捗</th><th>実行済み</th><th>拒否</th><th>失敗</th></tr></thead>
        <tbody>
          {(data?.bulkActions ?? []).map((b) => (
            <tr key={b.id}>
              <td><a href={`#/bulk/${b.id}`}><Since at={b.createdAt} /></a></td>
              <td>{label(ACTION_LABEL, b.action)}</td>
              <td>{typeof b.operator === 'string' ? b.operator : b.operator.name}</td>
              <td>{label(BULK_STATUS_LABEL, b.status)}</td>
              <td>{b.done}/{b.total}</td><td>{b.applied}</td><td>{b.refused}</td><td>{b.failed}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function BulkDetailView({ id }: { id: string }) {
  const { base } = useSession();
  return (
    <section>
      <h1>一括処理 <small>{id}</small></h1>
      <BulkProgress base={base} id={id} />
    </section>
  );
}
