/** Times in JST, absolute first, relative second (console reference). */
const JST = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

export function relative(iso: string, now = Date.now()): string {
  const s = Math.round((now - Date.parse(iso)) / 1000);
  const abs = Math.abs(s);
  const [n, unit] = abs < 60 ? [abs, '秒'] : abs < 3600 ? [Math.floor(abs / 60), '分'] : abs < 86400 ? [Math.floor(abs / 3600), '時間'] : [Math.floor(abs / 86400), '日'];
  return s >= 0 ? `${n}${unit}前` : `${n}${unit}後`;
}

export function jst(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : JST.format(t);
}

export const yen = (n: unknown): string => (typeof n === 'number' ? `${n.toLocaleString('ja-JP')}円` : '—');

/** A field value as text: ISO instants in JST, null as a dash. */
export function cell(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? 'はい' : 'いいえ';
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return jst(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
