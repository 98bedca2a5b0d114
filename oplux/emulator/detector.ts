import { randomBytes } from 'node:crypto';
import {
  BLACK_CUSTOMER_TYPES, MANUAL_RESULTS, OPLUX_ERROR, SETTLE_STATUSES,
  type OpluxBlackCustomerType, type OpluxManualResult, type OpluxReview,
} from '../codes';
import { HASH_METHODS, opluxDatetime, parseOpluxDatetime, signatureMatches, type OpluxHashMethod } from '../signature';
import type { OpluxOperation } from './operations';
import type { EmulatorKit } from '../../sandbox/toolkit/emulator-kit';

export interface Merchant {
  shopId: string;
  /** 接続元ID: never sent, only hashed into the signature */
  connectionId: string;
  secretKey: string;
}

export interface RuleSpec {
  code: string;
  description?: string;
  touchpoint?: string;
  ok?: number;
  ng?: number;
  hold?: number;
}

/** A review the control plane queued for the next registration. */
export interface ScriptedReview {
  result: OpluxReview;
  rules?: RuleSpec[];
  ruleGroup?: string;
}

export interface DetectorEvent {
  id: string;
  shopId: string;
  eventIdForShop: string;
  modelId: string;
  eventType: string;
  requestDatetime: string;
  registeredAt: string;
  /** the request's event keys without the `request.` prefix, as received */
  fields: Record<string, string>;
  aaResult: OpluxReview;
  rules: RuleSpec[];
  score: { ok: number; ng: number; hold: number };
  ruleGroup: string;
  similars: string[];
  maResult?: OpluxManualResult;
  memo?: string;
  settleStatus: string;
  deleted: boolean;
  blacked: boolean;
  blackCustomerType?: OpluxBlackCustomerType;
  blackSettleCategory?: string;
  blackOtherCategory?: string;
}

export type IdentifierKind = 'email' | 'tel' | 'cookie' | 'address';
export interface BlacklistEntry {
  shopId: string;
  kind: IdentifierKind;
  value: string;
  /** 'control' or the event whose `blacked=1` put it here */
  source: string;
}

export interface DetectorSettings {
  /** Forced maintenance (a scripted outcome). */
  maintenance: boolean;
  /** Planned maintenance in JST wall-clock time, e.g. [{ from: '02:00', to: '04:00' }] (ASSUMED: no public schedule). */
  maintenanceWindows: Array<{ from: string; to: string }>;
  /** Allowed skew of request_datetime from server time (ASSUMED ±10 minutes). */
  maxSkewMinutes: number;
  /** The review when nothing is scripted and no blacklist hit. */
  defaultResult: OpluxReview;
  /** When true, a second event_id_for_shop with the same model is E-DUP-EVENT; the real server (spec D) accepts it. */
  rejectDuplicateShopEventId: boolean;
  /** ASSUMED extension: get accepts `request.condition.event_id_for_shop` (no public client uses it). */
  lookupByShopEventId: boolean;
}

export const defaultSettings = (): DetectorSettings => ({
  maintenance: false, maintenanceWindows: [], maxSkewMinutes: 10, defaultResult: 'OK',
  rejectDuplicateShopEventId: false, lookupByShopEventId: true,
});

export type DetectorError = { code: string; message: string; httpStatus: number };
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: DetectorError };
const fail = (e: { code: string; message: string }, httpStatus: number, key?: string): Outcome<never> => ({
  ok: false,
  error: { code: key ? `${e.code}:${key}` : e.code, message: key ? `${e.message}: ${key}` : e.message, httpStatus },
});
const required = (key: string) => fail(OPLUX_ERROR.required, 400, `request.${key}`);
const invalid = (key: string) => fail(OPLUX_ERROR.invalid, 400, `request.${key}`);

/** Which blacklist identifiers a party carries, per the C.3 keys. */
function partyIdentifiers(f: Record<string, string>, prefix: string): Array<[IdentifierKind, string]> {
  const ids: Array<[IdentifierKind, string]> = [];
  const account = f[`${prefix}.email.pc.hashed_account`];
  if (account) ids.push(['email', `${account.toUpperCase()}@${(f[`${prefix}.email.pc.domain`] ?? '').toLowerCase()}`]);
  const tel = f[`${prefix}.tel.fixed_number`];
  if (tel) ids.push(['tel', tel.replace(/[^0-9]/g, '')]);
  const zip = f[`${prefix}.address.zipcode`];
  const rest = ['addressA', 'addressB', 'addressC'].map((k) => f[`${prefix}.address.${k}`] ?? '').join('');
  if (zip && rest) ids.push(['address', `${zip.replace(/[^0-9]/g, '')} ${rest.replace(/\s+/g, '')}`]);
  return ids;
}
const BUYER = 'event.ec.customers.buyer';
const DELIVERY = 'event.ec.customers.delivery';

/** Rule codes for blacklist hits: BLK_COK is seen in public code; the others are ASSUMED. */
const BLACK_RULES: Record<IdentifierKind, RuleSpec> = {
  cookie: { code: 'BLK_COK', description: 'ブラックリストに登録されたCookieと一致しました', touchpoint: 'event.cookie_only', ng: 10000 },
  email: { code: 'BLK_EMAIL', description: 'ブラックリストに登録されたメールアドレスと一致しました', touchpoint: 'event.ec.customers.buyer.email.pc', ng: 10000 },
  tel: { code: 'BLK_TEL', description: 'ブラックリストに登録された電話番号と一致しました', touchpoint: 'event.ec.customers.buyer.tel.fixed_number', ng: 10000 },
  address: { code: 'BLK_ADDR', description: 'ブラックリストに登録された住所と一致しました', touchpoint: 'event.ec.customers.*.address', ng: 10000 },
};

/**
 * O-PLUX's state and rules (docs/providers/oplux.md): merchants, events, the review script, the blacklist.
 * Registration is not idempotent: every accepted call creates an event and a ledger entry.
 */
export class Detector {
  readonly merchants = new Map<string, Merchant>();
  readonly events = new Map<string, DetectorEvent>();
  readonly script: ScriptedReview[] = [];
  readonly manualBlacklist: BlacklistEntry[] = [];
  settings = defaultSettings();

  constructor(private readonly kit: EmulatorKit) {}

  reset(): void {
    this.merchants.clear();
    this.events.clear();
    this.script.length = 0;
    this.manualBlacklist.length = 0;
    this.settings = defaultSettings();
  }

  registerMerchant(m: Merchant): Merchant {
    this.merchants.set(m.shopId, { ...m });
    return m;
  }

  inMaintenance(): boolean {
    if (this.settings.maintenance) return true;
    const hhmm = opluxDatetime(this.kit.clock.now()).slice(11, 16);
    return this.settings.maintenanceWindows.some((w) => (w.from <= w.to ? hhmm >= w.from && hhmm < w.to : hhmm >= w.from || hhmm < w.to));
  }

  /** Maintenance, then the auth keys of C.2 against the shop's stored connection id and secret. */
  authenticate(f: Record<string, string>): Outcome<Merchant> {
    if (this.inMaintenance()) return fail(OPLUX_ERROR.maintenance, 503);
    for (const key of ['shop_id', 'signiture', 'hash_method', 'request_datetime']) if (!f[key]) return required(key);
    const hashMethod = f.hash_method as OpluxHashMethod;
    if (!HASH_METHODS.includes(hashMethod)) return invalid('hash_method');
    const at = parseOpluxDatetime(f.request_datetime ?? '');
    if (!at) return invalid('request_datetime');
    if (Math.abs(at.getTime() - this.kit.clock.now().getTime()) > this.settings.maxSkewMinutes * 60_000) return fail(OPLUX_ERROR.clockSkew, 401);
    const merchant = this.merchants.get(f.shop_id ?? '');
    // an unknown shop answers like a bad signature, so shop ids cannot be probed (ASSUMED)
    if (!merchant) return fail(OPLUX_ERROR.badSignature, 401);
    const ok = signatureMatches(
      { connectionId: merchant.connectionId, shopId: merchant.shopId, requestDatetime: f.request_datetime ?? '', secretKey: merchant.secretKey, hashMethod },
      f.signiture ?? '',
    );
    return ok ? { ok: true, value: merchant } : fail(OPLUX_ERROR.badSignature, 401);
  }

  register(shopId: string, f: Record<string, string>): Outcome<DetectorEvent> {
    for (const key of ['event.model_id', 'event.event_id_for_shop']) if (!f[key]) return required(key);
    const settle = f['event.ec.settle.status'];
    if (settle !== undefined && !(settle in SETTLE_STATUSES)) return invalid('event.ec.settle.status');
    const eventIdForShop = f['event.event_id_for_shop'] ?? '';
    const modelId = f['event.model_id'] ?? '';
    const earlier = [...this.events.values()].filter((e) => e.shopId === shopId && !e.deleted);
    if (this.settings.rejectDuplicateShopEventId && earlier.some((e) => e.eventIdForShop === eventIdForShop && e.modelId === modelId)) {
      return fail(OPLUX_ERROR.duplicate, 409);
    }

    const now = this.kit.clock.now();
    const hits = this.blacklistHits(shopId, f);
    const review: ScriptedReview = hits.length
      ? { result: 'NG', rules: hits.map((k) => BLACK_RULES[k]), ruleGroup: 'DEFAULT' }
      : (this.script.shift() ?? { result: this.settings.defaultResult });
    const rules = review.rules ?? [];
    const mine = new Set(this.identifiers(f).map(([k, v]) => `${k}:${v}`));
    const event: DetectorEvent = {
      id: newEventId(now),
      shopId,
      eventIdForShop,
      modelId,
      eventType: f['event.event_type'] ?? 'EC',
      requestDatetime: f.request_datetime ?? opluxDatetime(now),
      registeredAt: now.toISOString(),
      fields: Object.fromEntries(Object.entries(f).filter(([k]) => k.startsWith('event.'))),
      aaResult: review.result,
      rules,
      score: scoreOf(review.result, rules),
      ruleGroup: review.ruleGroup ?? 'DEFAULT',
      similars: earlier.filter((e) => this.identifiers(e.fields).some(([k, v]) => mine.has(`${k}:${v}`))).map((e) => e.id),
      settleStatus: settle ?? '00',
      deleted: false,
      blacked: false,
    };
    this.events.set(event.id, event);
    this.kit.ledger.record(
      { operation: 'registerEvent' satisfies OpluxOperation, orderId: eventIdForShop, applied: true, key: event.id, effect: `created ${event.id} ${event.aaResult}${rules.length ? ` ${rules.map((r) => r.code).join(',')}` : ''}` },
      now,
    );
    return { ok: true, value: event };
  }

  /** The events `request.condition.*` selects: by O-PLUX id, or (ASSUMED, a setting) by the shop's own id. */
  find(shopId: string, f: Record<string, string>): Outcome<DetectorEvent[]> {
    const id = f['condition.event_id'];
    const forShop = f['condition.event_id_for_shop'];
    if (id) {
      const event = this.events.get(id);
      return event && event.shopId === shopId ? { ok: true, value: [event] } : fail(OPLUX_ERROR.notFound, 404);
    }
    if (forShop && this.settings.lookupByShopEventId) {
      const found = [...this.events.values()].filter((e) => e.shopId === shopId && e.eventIdForShop === forShop);
      return found.length ? { ok: true, value: found } : fail(OPLUX_ERROR.notFound, 404);
    }
    return required('condition.event_id');
  }

  update(shopId: string, f: Record<string, string>): Outcome<DetectorEvent> {
    const id = f['condition.event_id'];
    if (!id) return required('condition.event_id');
    const event = this.events.get(id);
    if (!event || event.shopId !== shopId) return fail(OPLUX_ERROR.notFound, 404);
    const u = (k: string) => f[`update.${k}`];
    const settle = u('settle_status');
    if (settle !== undefined && !(settle in SETTLE_STATUSES)) return invalid('update.settle_status');
    const ma = u('maResult');
    if (ma !== undefined && !(ma in MANUAL_RESULTS)) return invalid('update.maResult');
    for (const k of ['deleted', 'blacked']) if (u(k) !== undefined && !['0', '1'].includes(u(k) ?? '')) return invalid(`update.${k}`);
    const type = u('black_customer_type');
    if (type !== undefined && !(type in BLACK_CUSTOMER_TYPES)) return invalid('update.black_customer_type');

    const changes: string[] = [];
    const apply = (note: string, change: () => void) => {
      change();
      changes.push(note);
    };
    if (settle !== undefined) apply(`settle_status=${settle}`, () => (event.settleStatus = settle));
    if (ma !== undefined) apply(`maResult=${ma}`, () => (event.maResult = MANUAL_RESULTS[ma as keyof typeof MANUAL_RESULTS]));
    if (u('memo') !== undefined) apply('memo', () => (event.memo = u('memo')));
    if (u('deleted') !== undefined) apply(`deleted=${u('deleted')}`, () => (event.deleted = u('deleted') === '1'));
    if (u('blacked') !== undefined) apply(`blacked=${u('blacked')}`, () => (event.blacked = u('blacked') === '1'));
    if (type !== undefined) apply(`black_customer_type=${type}`, () => (event.blackCustomerType = type as OpluxBlackCustomerType));
    if (u('black_settle_category') !== undefined) event.blackSettleCategory = u('black_settle_category');
    if (u('black_other_category') !== undefined) event.blackOtherCategory = u('black_other_category');
    this.kit.ledger.record(
      { operation: 'updateEvent' satisfies OpluxOperation, orderId: event.eventIdForShop, key: event.id, applied: changes.length > 0, effect: changes.join(' ') || 'unchanged' },
      this.kit.clock.now(),
    );
    return { ok: true, value: event };
  }

  /** An operator's 目視審査 in the O-PLUX console (a scripted outcome), seen later through get. */
  setManualResult(id: string, result: OpluxManualResult, memo?: string): DetectorEvent | undefined {
    const event = this.events.get(id);
    if (!event) return undefined;
    event.maResult = result;
    if (memo !== undefined) event.memo = memo;
    this.kit.ledger.record({ operation: 'console.manual-result', orderId: event.eventIdForShop, key: id, applied: true, effect: `maResult=${result}` }, this.kit.clock.now());
    return event;
  }

  /** Entries from the control plane plus those implied by events marked `blacked=1` and not deleted. */
  blacklist(shopId?: string): BlacklistEntry[] {
    const fromEvents = [...this.events.values()]
      .filter((e) => e.blacked && !e.deleted && (!shopId || e.shopId === shopId))
      .flatMap((e) => {
        const type = e.blackCustomerType ?? '10'; // ASSUMED: a flag without a type blacklists the buyer
        const ids: Array<[IdentifierKind, string]> = [];
        if (type !== '20') {
          ids.push(...partyIdentifiers(e.fields, BUYER));
          if (e.fields['event.cookie_only']) ids.push(['cookie', e.fields['event.cookie_only']]);
        }
        if (type !== '10') ids.push(...partyIdentifiers(e.fields, DELIVERY));
        return ids.map(([kind, value]) => ({ shopId: e.shopId, kind, value, source: e.id }));
      });
    return [...this.manualBlacklist.filter((b) => !shopId || b.shopId === shopId), ...fromEvents];
  }

  private identifiers(f: Record<string, string>): Array<[IdentifierKind, string]> {
    const ids = [...partyIdentifiers(f, BUYER), ...partyIdentifiers(f, DELIVERY)];
    if (f['event.cookie_only']) ids.push(['cookie', f['event.cookie_only']]);
    return ids;
  }

  private blacklistHits(shopId: string, f: Record<string, string>): IdentifierKind[] {
    const black = new Set(this.blacklist(shopId).map((b) => `${b.kind}:${b.value}`));
    return [...new Set(this.identifiers(f).filter(([k, v]) => black.has(`${k}:${v}`)).map(([k]) => k))];
  }
}

/** yyMMddHHmmss (JST) and 36 upper hex digits: the 48-character shape of the ids in public mocks. */
function newEventId(at: Date): string {
  const stamp = opluxDatetime(at).replace(/[^0-9]/g, '').slice(2);
  return `${stamp}${randomBytes(18).toString('hex').toUpperCase()}`;
}

function scoreOf(result: OpluxReview, rules: RuleSpec[]): { ok: number; ng: number; hold: number } {
  const sum = (k: 'ok' | 'ng' | 'hold') => rules.reduce((n, r) => n + (r[k] ?? 0), 0);
  const score = { ok: sum('ok'), ng: sum('ng'), hold: sum('hold') };
  if (result === 'NG' && score.ng === 0) score.ng = 10000;
  if ((result === 'HOLD' || result === 'REVIEW') && score.hold === 0) score.hold = 10000;
  return score;
}
