import { useEffect, useState } from 'preact/hooks';
import { api, get } from '../api';
import { actionForms } from '../actions';
import { useLoad } from '../hooks';
import { ACTION_LABEL, label, PROCESS_LABEL } from '../labels';
import { useSession } from '../session';
import { ActionDialog } from '../components/ActionDialog';
import { Since } from '../components/Since';
import { Deliveries, type Delivery } from './Deliveries';

interface Timeline {
  shopId: string; orderId: string;
  processes: Array<{ process: string; workflowId: string; status: string; since: string; webUiUrl: string }>;
  events: Array<{ at: string; process: string; kind: string; title: string; detail: string | null; outcome: 'ok' | 'error' | 'pending' | null; actor: string | null }>;
}

const KIND_LABEL: Record<string, string> = { status: 'ステータス', call: '外部API', mail: 'メール', 'order-out': '受注データOUT', operator: '担当者操作', failure: '失敗' };

/** 注文詳細: each process's status with its actions and its workflow in the Temporal Web UI, then everything renkei did, oldest first. */
export function Order({ orderId }: { orderId: string }) {
  const { base, canAct } = useSession();
  const o = encodeURIComponent(orderId);
  const timeline = useLoad(() => get<Timeline>(`${base}/orders/${o}/timeline`), `${base}|${orderId}`);
  const deliveries = useLoad(() => get<{ deliveries: Delivery[] }>(`${base}/order-out/deliveries?orderId=${o}`), `${base}|${orderId}|out`);
  const [processOf, setProcessOf] = useState<Record<string, string>>({});
  const [dialog, setDialog] = useState<string>();
  useEffect(() => {
    void actionForms().then((f) => setProcessOf(Object.fromEntries(Object.entries(f).map(([a, d]) => [a, d.process]))));
  }, []);
  const reload = () => {
    timeline.reload();
    deliveries.reload();
  };
  const t = timeline.data;
  const actionsFor = (process: string) => Object.keys(processOf).filter((a) => processOf[a] === process && a !== 'order-out.redeliver');

  return (
    <section>
      <h1>注文詳細 <span class="order-id">{orderId}</span></h1>
      {timeline.error && <p class="error" role="alert">{timeline.error}</p>}
      {t && (
        <table class="list processes">
          <thead><tr><th>処理</th><th>ステータス</th><th>変更日時</th><th>ワークフロー</th>{canAct && <th>操作</th>}</tr></thead>
          <tbody>
            {t.processes.map((p) => (
              <tr key={p.process} data-testid={`process-${p.process}`}>
                <td>{label(PROCESS_LABEL, p.process)}</td>
                <td><span class="status" data-testid={`status-${p.process}`}>{p.status}</span></td>
                <td><Since at={p.since} /></td>
                <td><a href={p.webUiUrl} target="_blank" rel="noreferrer">Temporal Web UI で開く</a></td>
                {canAct && <td class="actions">{actionsFor(p.process).map((a) => <button type="button" key={a} onClick={() => setDialog(a)}>{label(ACTION_LABEL, a)}</button>)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {deliveries.data && deliveries.data.deliveries.length > 0 && (
        <>
          <h2>受注データOUT</h2>
          <Deliveries rows={deliveries.data.deliveries} onRedeliver={async (id) => api('POST', `${base}/order-out/deliveries/${id}/redeliver`)} onDone={reload} />
        </>
      )}
      <h2>履歴</h2>
      {t && (
        <ol class="timeline" aria-label="履歴">
          {t.events.map((e, i) => (
            <li key={i} class={`event kind-${e.kind} outcome-${e.outcome ?? 'none'}`}>
              <div class="when"><Since at={e.at} /></div>
              <div class="what">
                <span class="kind">{label(KIND_LABEL, e.kind)}</span>
                <span class="process">{label(PROCESS_LABEL, e.process)}</span>
                <strong>{e.kind === 'operator' ? label(ACTION_LABEL, e.title) : e.title}</strong>
                {e.actor && <span class="actor">担当: {e.actor}</span>}
                {e.detail && <div class="detail">{e.detail}</div>}
              </div>
            </li>
          ))}
        </ol>
      )}
      <p><button type="button" onClick={reload}>再読み込み</button></p>
      {dialog && <ActionDialog action={dialog} orderIds={[orderId]} bulk={false} onClose={(changed) => { setDialog(undefined); if (changed) reload(); }} />}
    </section>
  );
}
