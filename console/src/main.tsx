import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, token } from './api';
import { useHashRoute } from './hooks';
import { label, PROCESS_LABEL, PROCESSES, ROLE_LABEL } from './labels';
import { SessionContext, sessionOf, type Me } from './session';
import { Attention } from './views/Attention';
import { Order } from './views/Order';
import { ProcessList, YahooWindows } from './views/ProcessList';
import { Audit } from './views/Audit';
import { BulkDetailView, BulkList } from './views/Bulk';
import { DeliveriesView } from './views/Deliveries';
import { AdminAccounts, AdminOperators, AdminSettings, AdminShops } from './views/Admin';

const SHOP_KEY = 'renkei.shop';

/** サインイン: an operator's API token, kept for this tab only (sessionStorage). */
function SignIn({ onSignedIn, error }: { onSignedIn: (t: string) => void; error?: string }) {
  const [value, setValue] = useState('');
  return (
    <main class="sign-in">
      <h1>renkei 管理コンソール</h1>
      <form onSubmit={(e) => { e.preventDefault(); onSignedIn(value.trim()); }}>
        <label>APIトークン<input type="password" autoComplete="off" value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} required /></label>
        <button type="submit" class="primary">サインイン</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
    </main>
  );
}

function App() {
  const [me, setMe] = useState<Me>();
  const [shops, setShops] = useState<string[]>([]);
  const [shopId, setShopId] = useState<string>(sessionStorage.getItem(SHOP_KEY) ?? '');
  const [error, setError] = useState<string>();
  const [checking, setChecking] = useState(token.get() !== null);
  const route = useHashRoute();

  const signIn = async () => {
    setChecking(true);
    try {
      const who = await get<Me>('/operators/me');
      const listed = await get<{ shops: Array<{ id: string }> }>('/shops').then((r) => r.shops.map((s) => s.id), () => who.shops ?? []);
      const mine = who.shops ?? listed;
      setShops(mine);
      setShopId((s) => (mine.includes(s) ? s : mine[0] ?? ''));
      setMe(who);
      setError(undefined);
    } catch (err) {
      token.clear();
      setError(err instanceof ApiError && err.status === 401 ? 'トークンが正しくないか、失効しています。' : err instanceof Error ? err.message : String(err));
    } finally {
      setChecking(false);
    }
  };
  useEffect(() => {
    if (token.get()) void signIn();
  }, []);
  useEffect(() => {
    if (shopId) sessionStorage.setItem(SHOP_KEY, shopId);
  }, [shopId]);

  if (!me) {
    if (checking) return <p>確認中…</p>;
    return <SignIn error={error} onSignedIn={(t) => { token.set(t); void signIn(); }} />;
  }
  const signOut = () => {
    token.clear();
    sessionStorage.removeItem(SHOP_KEY);
    setMe(undefined);
  };
  if (!shopId) {
    // no shop recorded yet (a deployment configured by SHOP_ID only): the operator names it
    return (
      <main class="sign-in">
        <p>ショップが登録されていません。ショップIDを入力してください。</p>
        <form onSubmit={(e) => { e.preventDefault(); const id = String(new FormData(e.target as HTMLFormElement).get('shop') ?? '').trim(); if (id) { setShops([id]); setShopId(id); } }}>
          <label>ショップID<input name="shop" required /></label>
          <button type="submit" class="primary">開く</button>
        </form>
        <button type="button" onClick={signOut}>サインアウト</button>
      </main>
    );
  }
  const session = sessionOf(me, shopId);
  return (
    <SessionContext.Provider value={session}>
      <header class="top">
        <strong class="brand">renkei</strong>
        <label class="shop">ショップ
          <select value={shopId} onChange={(e) => setShopId((e.target as HTMLSelectElement).value)}>
            {shops.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <span class="who" data-testid="who">{me.name}({label(ROLE_LABEL, me.role)})</span>
        <button type="button" onClick={signOut}>サインアウト</button>
      </header>
      <div class="layout">
        <nav class="side" aria-label="メニュー">
          <a href="#/attention">要対応一覧</a>
          <div class="group">処理別一覧</div>
          {PROCESSES.map((p) => <a key={p} href={`#/orders/${p}`}>{PROCESS_LABEL[p]}</a>)}
          <a href="#/yahoo-windows">Yahoo 変更期限</a>
          <a href="#/deliveries">受注データOUT 配信ログ</a>
          <a href="#/bulk">一括処理履歴</a>
          <a href="#/audit">操作ログ</a>
          {session.isAdmin && <>
            <div class="group">管理</div>
            <a href="#/admin/shops">ショップ</a>
            <a href="#/admin/settings">設定</a>
            <a href="#/admin/accounts">アカウント</a>
            {me.shops === null && <a href="#/admin/operators">担当者</a>}
          </>}
        </nav>
        <main class="content" key={shopId}>{view(route.path, route.query, session.isAdmin)}</main>
      </div>
    </SessionContext.Provider>
  );
}

function view(path: string, query: URLSearchParams, isAdmin: boolean) {
  const [, head, arg] = path.split('/').map((s) => decodeURIComponent(s));
  switch (head) {
    case 'orders': return arg && (PROCESSES as readonly string[]).includes(arg) ? <ProcessList key={arg} process={arg} query={query} /> : <Attention query={query} />;
    case 'order': return <Order key={arg} orderId={arg ?? ''} />;
    case 'yahoo-windows': return <YahooWindows />;
    case 'deliveries': return <DeliveriesView query={query} />;
    case 'bulk': return arg ? <BulkDetailView key={arg} id={arg} /> : <BulkList />;
    case 'audit': return <Audit query={query} />;
    case 'admin':
      if (!isAdmin) return <p>管理者のみが見られます。</p>;
      if (arg === 'settings') return <AdminSettings />;
      if (arg === 'accounts') return <AdminAccounts />;
      if (arg === 'operators') return <AdminOperators />;
      return <AdminShops />;
    default: return <Attention query={query} />;
  }
}

render(<App />, document.getElementById('app')!);
