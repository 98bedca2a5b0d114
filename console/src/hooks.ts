import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/** The URL's hash as the console routes by it: `#/order/OMS-1?x=1` gives path `/order/OMS-1` and its query. */
export function useHashRoute(): { path: string; query: URLSearchParams } {
  const read = () => {
    const h = location.hash.replace(/^#/, '') || '/attention';
    const [path = '/attention', q = ''] = h.split('?');
    return { path, query: new URLSearchParams(q) };
  };
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

/** Goes to a view with its query (filters live in the URL, so a list can be linked and reloaded). */
export function go(path: string, query: Record<string, string | undefined> = {}): void {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) p.set(k, v);
  const s = p.toString();
  location.hash = `#${path}${s ? `?${s}` : ''}`;
}

export interface Loaded<T> { data: T | undefined; error: string | undefined; loading: boolean; reload: () => void }

/** Loads once per key and again on reload(); an answer that arrives after a newer request is dropped. */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [n, setN] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => mine === seq.current && setState({ data, loading: false }),
      (err: unknown) => mine === seq.current && setState({ error: err instanceof Error ? err.message : String(err), loading: false }),
    );
  }, [key, n]);
  const reload = useCallback(() => setN((x) => x + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** The ticked rows of a list, by key. */
export function useSelection(): { selected: Set<string>; toggle: (k: string) => void; setAll: (ks: string[], on: boolean) => void; clear: () => void } {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  return {
    selected,
    toggle: (k) => setSelected((s) => {
      const n = new Set(s);
      if (n.has(k)) n.delete(k);
      else n.add(k);
      return n;
    }),
    setAll: (ks, on) => setSelected((s) => {
      const n = new Set(s);
      for (const k of ks) if (on) n.add(k); else n.delete(k);
      return n;
    }),
    clear: () => setSelected(new Set()),
  };
}
