/** A JSON caller for an emulator's control plane: `control('POST', '/trades', {...})` under `base`. */
export function controlClient(base: () => string) {
  return async function control<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${base()}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}
