/**
 * Text renkei can store and echo. PostgreSQL refuses a NUL (U+0000) in text and jsonb, and a lone UTF-16 surrogate
 * cannot be encoded as UTF-8: input carrying either is refused where it comes in, before anything acts on it.
 */

// With the u flag a surrogate pair is one code point, so \p{Cs} matches only a lone (unpaired) surrogate.
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const UNSTORABLE = /\u0000|\p{Cs}/u;

/** Why this string cannot be stored, or undefined. */
export function unstorableText(s: string): string | undefined {
  const m = UNSTORABLE.exec(s);
  if (!m) return undefined;
  return m[0] === '\u0000' ? 'contains a NUL character (U+0000), which cannot be stored' : 'contains a lone UTF-16 surrogate, which is not text';
}

export interface UnstorableField {
  /** the dotted path, as zod names fields ('(body)' for the whole value) */
  field: string;
  reason: string;
}

/**
 * The first string (value or object key) in a parsed JSON value or query that cannot be stored, with its path.
 * Iterative, and each step links to its parent instead of copying the path, so a deeply nested body costs linear time
 * and cannot exhaust the stack.
 */
export function findUnstorableText(value: unknown): UnstorableField | undefined {
  const stack: Step[] = [{ value }];
  for (let step = stack.pop(); step; step = stack.pop()) {
    const v = step.value;
    if (typeof v === 'string') {
      const reason = unstorableText(v);
      if (reason) return { field: fieldName(step), reason };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], key: String(i), parent: step });
    } else if (v && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const keyReason = unstorableText(key);
        if (keyReason) return { field: fieldName({ value: child, key, parent: step }), reason: `its name ${keyReason}` };
        stack.push({ value: child, key, parent: step });
      }
    }
  }
  return undefined;
}

interface Step {
  value: unknown;
  key?: string;
  parent?: Step;
}

function fieldName(step: Step): string {
  const path: string[] = [];
  for (let s: Step | undefined = step; s?.key !== undefined; s = s.parent) path.push(s.key);
  return path.length === 0 ? '(body)' : echoId(path.reverse().join('.'), 128);
}

/**
 * A caller-supplied id or name as it may appear in an answer: control characters, lone surrogates and quotes escaped
 * (as JSON writes them), at most `max` characters. Error text never echoes more than this of what the caller sent.
 */
export function echoId(value: unknown, max = 64): string {
  const s = typeof value === 'string' ? value : String(value);
  const head = s.length > max ? s.slice(0, max) : s;
  const escaped = JSON.stringify(head).slice(1, -1);
  return escaped.length > max || s.length > max ? `${escaped.slice(0, max)}…` : escaped;
}
