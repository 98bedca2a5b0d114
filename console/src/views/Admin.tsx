import { useState } from 'preact/hooks';
import { api, get } from '../api';
import { useLoad } from '../hooks';
import { label, ROLE_LABEL } from '../labels';
import { cell } from '../format';
import { useSession } from '../session';
import { JsonEditor } from '../components/JsonEditor';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Since } from '../components/Since';

const NEW_SHOP = { id: '', name: '', adminEmails: [], notifyEmail: null };

/** ショップ: the shops this admin sees; an admin of every shop adds shops. */
export function AdminShops() {
  const { base, me } = useSession();
  const shops = useLoad(() => get<{ shops: Array<Record<string, unknown>> }>('/shops'), 'shops');
  const shop = useLoad(() => get<Record<string, unknown>>(base), base);
  return (
    <section>
      <h1>ショップ</h1>
      <table class="list">
        <thead><tr><th>ID</th><th>名前</th><th>有効</th><th>通知先</th></tr></thead>
        <tbody>{(shops.data?.shops ?? []).map((s) => <tr key={String(s.id)}><td>{String(s.id)}</td><td>{cell(s.name)}</td><td>{cell(s.enabled)}</td><td>{cell(s.notifyEmail)}</td></tr>)}</tbody>
      </table>
      {shop.data && <><h2>このショップを変更</h2><JsonEditor title="ショップ" key={JSON.stringify(shop.data)}
        initial={{ name: shop.data.name, enabled: shop.data.enabled, adminEmails: shop.data.adminEmails, notifyEmail: shop.data.notifyEmail, mailRoutes: shop.data.mailRoutes }}
        save={(b) => api('PATCH', base, b)} onDone={() => { shop.reload(); shops.reload(); }} /></>}
      {me.shops === null && <><h2>ショップを追加</h2><JsonEditor title="新しいショップ" initial={NEW_SHOP} save={(b) => api('POST', '/shops', b)} onDone={shops.reload} /></>}
    </section>
  );
}

/** 設定: each process's settings of the shop. */
export function AdminSettings() {
  const { base } = useSession();
  const { data, error, reload } = useLoad(() => get<Record<string, unknown>>(`${base}/settings`), base);
  return (
    <section>
      <h1>設定</h1>
      {error && <p class="error" role="alert">{error}</p>}
      {data && Object.entries(data).map(([p, v]) => (
        <JsonEditor key={`${p}${JSON.stringify(v)}`} title={p} initial={v} save={(b) => api('PUT', `${base}/settings/${p}`, b)} onDone={reload} />
      ))}
    </section>
  );
}

/** アカウント: the shop's provider accounts as the API shows them (secrets masked); a new value replaces the account. */
export function AdminAccounts() {
  const { base } = useSession();
  const { data, error, reload } = useLoad(() => get<{ accounts: Array<Record<string, unknown> & { provider: string }> }>(`${base}/accounts`), base);
  const [provider, setProvider] = useState('');
  return (
    <section>
      <h1>アカウント</h1>
      {error && <p class="error" role="alert">{error}</p>}
      <table class="list">
        <thead><tr><th>連携先</th><th>内容(マスク済み)</th></tr></thead>
        <tbody>{(data?.accounts ?? []).map((a) => <tr key={a.provider}><td>{a.provider}</td><td><code>{JSON.stringify(a)}</code></td></tr>)}</tbody>
      </table>
      <h2>アカウントを設定</h2>
      <label>連携先<input value={provider} onInput={(e) => setProvider((e.target as HTMLInputElement).value)} placeholder="au-pay, yahoo, amazon-pay, …" /></label>
      {provider && <JsonEditor key={provider} title={`${provider} アカウント`} initial={{}} save={(b) => api('PUT', `${base}/accounts/${encodeURIComponent(provider)}`, b)} onDone={reload} />}
    </section>
  );
}

interface Operator { id: string; name: string; role: string; shops: string[] | null; disabled?: boolean; createdAt?: string }
interface Token { id: string; label: string | null; createdAt: string; revokedAt: string | null; lastUsedAt?: string | null }

/** 担当者: operators, their roles and shops, and their tokens (a new token is shown once). */
export function AdminOperators() {
  const ops = useLoad(() => get<{ operators: Operator[] }>('/operators'), 'operators');
  const [open, setOpen] = useState<string>();
  const [create, setCreate] = useState<{ name: string; role: string; shops: string }>({ name: '', role: 'viewer', shops: '' });
  const [confirm, setConfirm] = useState<{ title: string; message: string; run: () => Promise<unknown> }>();
  const body = () => ({ name: create.name, role: create.role, shops: create.shops.trim() ? create.shops.split(',').map((s) => s.trim()) : null });
  return (
    <section>
      <h1>担当者</h1>
      {ops.error && <p class="error" role="alert">{ops.error}</p>}
      <table class="list">
        <thead><tr><th>名前</th><th>権限</th><th>ショップ</th><th>状態</th><th></th></tr></thead>
        <tbody>
          {(ops.data?.operators ?? []).map((o) => (
            <tr key={o.id}>
              <td>{o.name}</td><td>{label(ROLE_LABEL, o.role)}</td><td>{o.shops ? o.shops.join(', ') : 'すべて'}</td><td>{o.disabled ? '無効' : '有効'}</td>
              <td>
                <button type="button" onClick={() => setOpen(open === o.id ? undefined : o.id)}>トークン</button>
                <button type="button" onClick={() => setConfirm({ title: o.disabled ? '有効にする' : '無効にする', message: `${o.name} を${o.disabled ? '有効' : '無効'}にします。`, run: () => api('PATCH', `/operators/${o.id}`, { disabled: !o.disabled }) })}>{o.disabled ? '有効にする' : '無効にする'}</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {open && <Tokens operatorId={open} />}
      <h2>担当者を追加</h2>
      <form class="filters" onSubmit={(e) => { e.preventDefault(); setConfirm({ title: '担当者を追加', message: `${create.name}(${label(ROLE_LABEL, create.role)})を追加します。`, run: () => api('POST', '/operators', body()) }); }}>
        <label>名前<input required value={create.name} onInput={(e) => setCreate({ ...create, name: (e.target as HTMLInputElement).value })} /></label>
        <label>権限<select value={create.role} onChange={(e) => setCreate({ ...create, role: (e.target as HTMLSelectElement).value })}>
          {Object.entries(ROLE_LABEL).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
        </select></label>
        <label>ショップ(カンマ区切り、空欄ですべて)<input value={create.shops} onInput={(e) => setCreate({ ...create, shops: (e.target as HTMLInputElement).value })} /></label>
        <button type="submit">追加</button>
      </form>
      {confirm && <ConfirmDialog {...confirm} onClose={(changed) => { setConfirm(undefined); if (changed) ops.reload(); }} />}
    </section>
  );
}

function Tokens({ operatorId }: { operatorId: string }) {
  const { data, reload } = useLoad(() => get<Operator & { tokens: Token[] }>(`/operators/${operatorId}`), operatorId);
  const [confirm, setConfirm] = useState<{ title: string; message: string; run: () => Promise<unknown> }>();
  return (
    <div class="tokens">
      <h2>{data?.name} のトークン</h2>
      <table class="list">
        <thead><tr><th>ID</th><th>ラベル</th><th>作成</th><th>失効</th><th></th></tr></thead>
        <tbody>
          {(data?.tokens ?? []).map((t) => (
            <tr key={t.id}>
              <td>{t.id}</td><td>{cell(t.label)}</td><td><Since at={t.createdAt} /></td><td><Since at={t.revokedAt} /></td>
              <td>{!t.revokedAt && <button type="button" onClick={() => setConfirm({ title: 'トークンを失効', message: `トークン ${t.id} を失効させます。`, run: () => api('DELETE', `/operators/${operatorId}/tokens/${t.id}`) })}>失効</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => setConfirm({ title: 'トークンを発行', message: '新しいトークンを発行します。表示は一度だけです。', run: () => api('POST', `/operators/${operatorId}/tokens`, {}) })}>トークンを発行</button>
      {confirm && <ConfirmDialog {...confirm} onClose={(changed) => { setConfirm(undefined); if (changed) reload(); }} />}
    </div>
  );
}
