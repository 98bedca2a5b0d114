import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The sandbox's emulators keep their state in memory (Maps of plain records inside a few classes). So that a restarted
 * sandbox does not answer orders in flight from an emptied emulator, `npm start` keeps a JSON snapshot of that state in
 * `.data/sandbox/state.json`, written shortly after each change and read back at start.
 *
 * The snapshot is taken by walking the emulator objects: records, Maps, Sets, arrays and Dates are data and are saved;
 * class instances are walked field by field; functions and other objects (routers, listeners, crypto keys) are not
 * data and are skipped, and so is any container holding one. Restoring fills the freshly built emulators in place,
 * field by field, so the objects keep their classes and whatever else holds a reference to them (a Map captured by a
 * route stays the same Map). What lives only in closures (the IPN sender's pending deliveries, the SMTP sink's mail) is
 * not kept, and neither is a field added or renamed since the snapshot: it keeps its fresh value.
 */

type Encoded = null | boolean | number | string | Encoded[] | { [tag: string]: unknown };

const SKIPPED = { $x: 1 } as const; // not data: left as built
const SEEN = { $seen: 1 } as const; // an instance met before: restored where it was first met

const isPlainObject = (v: object) => {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};
const isContainer = (v: unknown): v is object => typeof v === 'object' && v !== null;
const isDataObject = (v: object) => Array.isArray(v) || v instanceof Map || v instanceof Set || v instanceof Date || isPlainObject(v);

/** Encodes a value of the emulators' state; `seen` holds the class instances already walked. */
function encode(value: unknown, seen: Set<object>): Encoded {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $num: String(value) };
  if (value === undefined) return { $u: 1 };
  if (typeof value === 'bigint') return { $big: value.toString() };
  if (typeof value !== 'object') return SKIPPED; // functions, symbols
  if (value instanceof Date) return { $d: Number.isNaN(value.getTime()) ? null : value.toISOString() };
  if (Array.isArray(value)) return value.map((v) => encode(v, seen));
  if (value instanceof Map) return { $m: [...value].map(([k, v]) => [encode(k, seen), encode(v, seen)]) };
  if (value instanceof Set) return { $s: [...value].map((v) => encode(v, seen)) };
  if (isPlainObject(value)) return { $o: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v, seen)])) };
  if (typeof (value as { then?: unknown }).then === 'function') return SKIPPED;
  // a class instance: its own fields, once
  if (seen.has(value)) return SEEN;
  seen.add(value);
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  const name = proto?.constructor?.name;
  // built-in and library objects (KeyObject, Buffer, Server, Router...) are not emulator state
  if (!name || name === 'Object' || /^(KeyObject|Buffer|Uint8Array|Server|Socket|EventEmitter|Timeout|Promise|RegExp|Error)$/.test(name)) return SKIPPED;
  return { $c: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v, seen)])) };
}

/** True when an encoded value holds only data (nothing skipped, no class instance): it can be rebuilt as it was. */
function isData(e: unknown): boolean {
  if (!isContainer(e)) return true;
  if (Array.isArray(e)) return e.every(isData);
  const tagged = e as Record<string, unknown>;
  if ('$x' in tagged || '$seen' in tagged || '$c' in tagged) return false;
  if ('$m' in tagged) return (tagged.$m as Array<[unknown, unknown]>).every(([k, v]) => isData(k) && isData(v));
  if ('$s' in tagged) return (tagged.$s as unknown[]).every(isData);
  if ('$o' in tagged) return Object.values(tagged.$o as Record<string, unknown>).every(isData);
  return true;
}

/** True when a live value holds only data (so replacing its contents loses no listener, key or instance). */
function liveIsData(v: unknown, depth = 0): boolean {
  if (typeof v === 'function' || typeof v === 'symbol') return false;
  if (!isContainer(v)) return true;
  if (!isDataObject(v) || depth > 50) return false;
  if (v instanceof Date) return true;
  if (Array.isArray(v) || v instanceof Set) return [...v].every((x) => liveIsData(x, depth + 1));
  if (v instanceof Map) return [...v].every(([k, x]) => liveIsData(k, depth + 1) && liveIsData(x, depth + 1));
  return Object.values(v).every((x) => liveIsData(x, depth + 1));
}

function decode(e: unknown): unknown {
  if (!isContainer(e)) return e;
  if (Array.isArray(e)) return e.map(decode);
  const tagged = e as Record<string, unknown>;
  if ('$u' in tagged) return undefined;
  if ('$num' in tagged) return Number(tagged.$num);
  if ('$big' in tagged) return BigInt(tagged.$big as string);
  if ('$d' in tagged) return new Date(tagged.$d === null ? NaN : (tagged.$d as string));
  if ('$m' in tagged) return new Map((tagged.$m as Array<[unknown, unknown]>).map(([k, v]) => [decode(k), decode(v)]));
  if ('$s' in tagged) return new Set((tagged.$s as unknown[]).map(decode));
  if ('$o' in tagged) return Object.fromEntries(Object.entries(tagged.$o as Record<string, unknown>).map(([k, v]) => [k, decode(v)]));
  throw new Error('not data');
}

/** Puts the saved `e` into `holder[key]`, in place where the live value is a container of the same kind. */
function restoreField(holder: Record<string, unknown>, key: string, e: unknown): void {
  const live = holder[key];
  if (isContainer(e) && !Array.isArray(e) && ('$x' in e || '$seen' in e)) return;
  if (isContainer(e) && !Array.isArray(e) && '$c' in e) {
    if (isContainer(live) && !isDataObject(live)) restoreFields(live as Record<string, unknown>, (e as { $c: Record<string, unknown> }).$c);
    return;
  }
  if (isContainer(e) && !Array.isArray(e) && '$o' in e && isContainer(live) && isPlainObject(live) && !liveIsData(live)) {
    // a record holding instances or functions (an emulator's own object): field by field
    restoreFields(live as Record<string, unknown>, (e as { $o: Record<string, unknown> }).$o);
    return;
  }
  if (!isData(e) || !liveIsData(live)) return;
  const value = decode(e);
  if (live instanceof Map && value instanceof Map) {
    live.clear();
    for (const [k, v] of value) live.set(k, v);
  } else if (live instanceof Set && value instanceof Set) {
    live.clear();
    for (const v of value) live.add(v);
  } else if (Array.isArray(live) && Array.isArray(value)) {
    live.splice(0, live.length, ...(value as unknown[]));
  } else if (isContainer(live) && isPlainObject(live) && isContainer(value) && isPlainObject(value)) {
    for (const k of Object.keys(live)) delete (live as Record<string, unknown>)[k];
    Object.assign(live, value);
  } else {
    holder[key] = value;
  }
}

function restoreFields(live: Record<string, unknown>, fields: Record<string, unknown>): void {
  for (const [key, e] of Object.entries(fields)) {
    if (Object.prototype.hasOwnProperty.call(live, key)) restoreField(live, key, e);
  }
}

/** The state of `roots` (name → emulator object) as JSON. */
export function snapshotState(roots: Record<string, object>): string {
  const seen = new Set<object>();
  const encoded = Object.fromEntries(Object.entries(roots).map(([name, root]) => [name, encode(root, seen)]));
  return JSON.stringify({ version: 1, emulators: encoded });
}

/** Fills freshly built emulators (`roots`, the same names) with a snapshot's state. */
export function restoreState(roots: Record<string, object>, json: string): void {
  const parsed = JSON.parse(json) as { version?: number; emulators?: Record<string, unknown> };
  if (parsed.version !== 1 || !isContainer(parsed.emulators)) throw new Error('not a sandbox state snapshot (version 1)');
  restoreFields(roots as Record<string, unknown>, parsed.emulators);
}

export interface SandboxStatePersistence {
  /** Something may have changed: write a snapshot soon (debounced). */
  changed(): void;
  /** Writes the snapshot now if it differs from the last one written. */
  flush(): void;
  stop(): void;
  /** where it is kept */
  file: string;
}

/**
 * Loads `dir/state.json` into `roots` (an unreadable one is set aside as state.json.unreadable-<time>), then keeps it:
 * a snapshot after each change (debounced by `debounceMs`) and every `everyMs` (for changes no request announced, the
 * emulators' own time-driven ones), written to a temporary file and renamed, so a crash leaves the old or the new one.
 */
export function persistSandboxState(o: {
  dir: string; roots: Record<string, object>; debounceMs?: number; everyMs?: number; log?: (message: string, fields?: Record<string, string | number | boolean | undefined>) => void;
}): SandboxStatePersistence {
  const file = path.join(o.dir, 'state.json');
  const log = o.log ?? (() => undefined);
  mkdirSync(o.dir, { recursive: true });
  let last: string | undefined;
  try {
    last = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (last !== undefined) {
    try {
      restoreState(o.roots, last);
      log('sandbox state restored', { file });
    } catch (err) {
      const aside = `${file}.unreadable-${Date.now()}`;
      renameSync(file, aside);
      log('sandbox state unreadable: starting empty', { file: aside, error: (err as Error).message });
      last = undefined;
    }
  }
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const json = snapshotState(o.roots);
    if (json === last) return;
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, json);
    renameSync(tmp, file);
    last = json;
  };
  const safeFlush = () => {
    try {
      flush();
    } catch (err) {
      log('sandbox state not saved', { error: (err as Error).message });
    }
  };
  const periodic = setInterval(safeFlush, o.everyMs ?? 5_000);
  periodic.unref();
  // the state as restored (and registered at start) is the first snapshot
  safeFlush();
  return {
    file,
    changed() {
      if (timer) return;
      timer = setTimeout(safeFlush, o.debounceMs ?? 200);
      timer.unref();
    },
    flush,
    stop() {
      clearInterval(periodic);
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
