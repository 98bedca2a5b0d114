/** The operator API as the console calls it: the token from sessionStorage, JSON in and out, errors with the API's reason. */
const TOKEN_KEY = 'renkei.token';

export const token = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (t: string) => sessionStorage.setItem(TOKEN_KEY, t),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** A refused or failed call: the HTTP status and the API's own words (its `error`, and the fields it names). */
export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly body: unknown) {
    super(message);
  }
}

interface Issue { field?: string; reason?: string }

function reasonOf(status: number, body: unknown): string {
  if (body && typeof body === 'object' && 'error' in body) {
    const b = body as { error: string; issues?: Issue[] };
    const issues = (b.issues ?? []).map((i) => `${i.field ?? ''}: ${i.reason ?? ''}`).join('; ');
    return issues ? `${b.error} (${issues})` : b.error;
  }
  return `HTTP ${status}`;
}

export async function api<T>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<T> {
  const headers: Record<string, string> = { ...extraHeaders };
  const t = token.get();
  if (t) headers.authorization = `Bearer ${t}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: the text is the answer
  }
  if (!res.ok) throw new ApiError(res.status, reasonOf(res.status, parsed), parsed);
  return parsed as T;
}

export const get = <T>(path: string) => api<T>('GET', path);

/** A query string from the set values only. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}
