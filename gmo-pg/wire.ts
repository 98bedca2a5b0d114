import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';

/**
 * GMO-PG's protocol-type wire (docs/providers/gmo-pg.md §1), shared by our client and the emulator.
 * - Requests: `application/x-www-form-urlencoded`, values in Shift_JIS (Windows-31J) or UTF-8.
 * - Answers: `K=V&K=V` with values NOT percent-encoded, in Windows-31J; split on `&`, then on the first `=`.
 *   ExecTran's 3DS answers (ACS=1/2) hold URLs with `&`, so they are split on their known keys only.
 */

export type WireCharset = 'Shift_JIS' | 'UTF-8';
/** The exact Content-Type of every GMO answer. */
export const RESPONSE_CONTENT_TYPE = 'text/plain;charset=Windows-31J';
/** iconv-lite's name for the Shift_JIS that Japanese web systems really use (NEC/IBM extensions, ～ as U+FF5E). */
export const SJIS = 'Windows-31J';

/** Charset names that mean Shift_JIS on the wire. */
const SJIS_NAMES = new Set(['shift_jis', 'shift-jis', 'sjis', 'x-sjis', 'windows-31j', 'cp932', 'ms932', 'sjis-win', 'csshiftjis']);

/** Maps a Content-Type charset parameter to a wire charset; undefined when absent or unknown. */
export function charsetOf(contentType: string | undefined): WireCharset | undefined {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  const name = m?.[1]?.toLowerCase();
  if (!name) return undefined;
  if (SJIS_NAMES.has(name)) return 'Shift_JIS';
  if (name === 'utf-8' || name === 'utf8') return 'UTF-8';
  return undefined;
}

// ---------- answers ----------

/**
 * Keys of ExecTran's 3DS answers, whose URL values may hold `&`: such an answer is split on these keys only
 * (the official module's execSpecialParse2). ACS=2 is `ACS=2&RedirectUrl=<the rest>`.
 */
const SPECIAL_KEYS: Record<string, string[]> = { '1': ['ACS', 'ACSUrl', 'PaReq', 'MD'], '2': ['ACS', 'RedirectUrl'] };

/** Parses a `K=V&K=V` answer. Values are taken verbatim (no percent-decoding); they may hold spaces. */
export function parseKv(text: string): Record<string, string> {
  const body = text.replace(/\r?\n$/, '');
  const acs = /^ACS=([12])(&|$)/.exec(body)?.[1];
  if (acs) return splitOnKnownKeys(body, SPECIAL_KEYS[acs] ?? []);
  const out: Record<string, string> = {};
  if (body === '') return out;
  for (const pair of body.split('&')) {
    const i = pair.indexOf('=');
    if (i <= 0) continue;
    out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}

function splitOnKnownKeys(body: string, keys: string[]): Record<string, string> {
  const starts: Array<{ key: string; at: number; valueAt: number }> = [];
  for (const key of keys) {
    if (body.startsWith(`${key}=`)) {
      starts.push({ key, at: 0, valueAt: key.length + 1 });
      continue;
    }
    const i = body.indexOf(`&${key}=`);
    if (i >= 0) starts.push({ key, at: i, valueAt: i + key.length + 2 });
  }
  starts.sort((a, b) => a.at - b.at);
  const out: Record<string, string> = {};
  starts.forEach((s, i) => {
    out[s.key] = body.slice(s.valueAt, starts[i + 1]?.at ?? body.length);
  });
  return out;
}

/** Builds an answer body: `K=V&K=V`, unencoded, in the given key order. */
export function buildKv(fields: Array<[string, string]>): string {
  return fields.map(([k, v]) => `${k}=${v}`).join('&');
}

/** ErrCode as GMO derives it from ErrInfo: `42G550000` → `G55`, `42C010000` → `C01`, `E01040010` → `E01`. */
export function errCodeOf(info: string): string {
  if (/^42[A-Z]\d{2}/.test(info)) return info.slice(2, 5);
  return info.slice(0, 3);
}

/** The error answer: parallel `|`-separated lists, `ErrCode=E01|E01&ErrInfo=E01050002|E01060006`. */
export function buildErrorKv(infos: string[]): string {
  return buildKv([['ErrCode', infos.map(errCodeOf).join('|')], ['ErrInfo', infos.join('|')]]);
}

/** Splits ErrCode/ErrInfo of a parsed answer into parallel lists; undefined when the answer is not an error. */
export function errorsOf(fields: Record<string, string>): { codes: string[]; infos: string[] } | undefined {
  if (fields.ErrCode === undefined && fields.ErrInfo === undefined) return undefined;
  const split = (v: string | undefined) => (v ?? '').split('|').map((s) => s.trim()).filter(Boolean);
  return { codes: split(fields.ErrCode), infos: split(fields.ErrInfo) };
}

export const encodeSjis = (text: string): Buffer => iconv.encode(text, SJIS);
export const decodeSjis = (bytes: Buffer): string => iconv.decode(bytes, SJIS);

// ---------- requests ----------

const UNRESERVED = /[A-Za-z0-9\-_.*]/;

/** Percent-encodes bytes as CGI.escape does: unreserved kept, space as `+`, every other byte as %XX. */
function percentEncodeBytes(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    if (b < 0x80 && UNRESERVED.test(ch)) out += ch;
    else if (b === 0x20) out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A form body with every value encoded in `charset` first (Shift_JIS by default, as the official clients send). */
export function encodeForm(fields: Record<string, string | undefined>, charset: WireCharset = 'Shift_JIS'): string {
  const enc = (s: string) => percentEncodeBytes(charset === 'Shift_JIS' ? encodeSjis(s) : Buffer.from(s, 'utf8'));
  return Object.entries(fields)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .join('&');
}

/**
 * Percent-decoding to bytes (`+` is a space); a malformed `%` is kept as is, as lenient servers do. With `rawBytes`
 * the text is the body's bytes read as latin1, so a character above 0x7F is one raw byte sent unencoded (UTF-8 or
 * Shift_JIS text some clients send as is): it is kept as that byte, to be decoded in the body's charset with the rest.
 */
function percentDecodeBytes(text: string, rawBytes = false): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2b) bytes.push(0x20);
    else if (c === 0x25 && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x80 || (rawBytes && c < 0x100)) bytes.push(c);
    else bytes.push(...Buffer.from(text[i] ?? '', 'utf8'));
  }
  return Buffer.from(bytes);
}

const isUtf8 = (bytes: Buffer): boolean => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

/**
 * Decodes an urlencoded body. The charset is the Content-Type's when it names one; otherwise UTF-8 when every
 * name and value is valid UTF-8, else Windows-31J (what [tk] and the EC-CUBE module send, without a charset).
 * Pure ASCII reads the same either way. The first occurrence of a repeated key wins.
 */
export function decodeForm(body: Buffer | string, declared?: WireCharset): { fields: Record<string, string>; charset: WireCharset } {
  const text = typeof body === 'string' ? body : body.toString('latin1');
  const decodeBytes = (t: string) => percentDecodeBytes(t, typeof body !== 'string');
  const pairs = text
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const i = p.indexOf('=');
      return i < 0 ? [decodeBytes(p), Buffer.alloc(0)] : [decodeBytes(p.slice(0, i)), decodeBytes(p.slice(i + 1))];
    }) as Array<[Buffer, Buffer]>;
  const charset: WireCharset = declared ?? (pairs.every(([k, v]) => isUtf8(k) && isUtf8(v)) ? 'UTF-8' : 'Shift_JIS');
  const dec = (b: Buffer) => (charset === 'UTF-8' ? b.toString('utf8') : decodeSjis(b));
  const fields: Record<string, string> = {};
  for (const [k, v] of pairs) {
    const key = dec(k);
    if (!(key in fields)) fields[key] = dec(v);
  }
  return { fields, charset };
}

/** Byte length of a value in Windows-31J (GMO's limits on free-text fields are bytes). */
export const sjisByteLength = (s: string): number => encodeSjis(s).length;

/** CheckString of an ExecTran answer: md5(OrderID+Forward+Method+PayTimes+Approve+TranID+TranDate+ShopPass), hex (§2). */
export function checkString(
  f: { orderId: string; forward: string; method: string; payTimes: string; approve: string; tranId: string; tranDate: string },
  shopPass: string,
): string {
  return createHash('md5').update(f.orderId + f.forward + f.method + f.payTimes + f.approve + f.tranId + f.tranDate + shopPass, 'utf8').digest('hex');
}
