import { parseXml } from './xml';
import { OpluxApiError } from './errors';
import { eventForm, type OpluxEventInput } from './event-form';
import {
  MANUAL_RESULTS, REVIEW_RESULTS,
  type OpluxBlackCustomerType, type OpluxManualCode, type OpluxManualResult, type OpluxReview, type OpluxSettleStatus,
} from './codes';
import { responseSchema } from './schemas';
import { opluxDatetime, sign, type OpluxHashMethod } from './signature';

export interface OpluxClientOptions {
  /** the v2 event URL, e.g. https://staging.o-plux.com/v2/event, or the sandbox's /oplux/v2/event */
  eventUrl: string;
  /** the name normalizer's URL, e.g. https://staging-name-normalizer.o-plux.com/ */
  normalizerUrl: string;
  /** 加盟店ID */
  shopId: string;
  /** 接続元ID: only hashed into the signature, never sent */
  connectionId: string;
  secretKey: string;
  hashMethod?: OpluxHashMethod;
  /** W2 uses 5 s */
  timeoutMs: number;
  /** the clock that stamps request_datetime (tests pass the sandbox's) */
  now?: () => Date;
}

export interface OpluxRule {
  code: string;
  description?: string;
  touchpoint?: string;
}

export interface RegisteredEvent {
  eventId: string;
  review: OpluxReview;
  skipped: boolean;
  score: { ok: number; ng: number; hold: number };
  rules: OpluxRule[];
  ruleGroup?: string;
  similarEventIds: string[];
}

export interface FetchedEvent {
  eventId: string;
  eventIdForShop?: string;
  aaResult: OpluxReview;
  maResult?: OpluxManualResult;
  /** maresult/reason: the memo written with the manual result */
  maReason?: string;
  rules: OpluxRule[];
  score: { ok: number; ng: number; hold: number };
  /** ASSUMED extras the emulator returns; absent from the public mocks */
  settleStatus?: string;
  blacked?: boolean;
  deleted?: boolean;
}

export interface EventUpdate {
  settleStatus?: OpluxSettleStatus;
  maResult?: OpluxManualCode;
  memo?: string;
  deleted?: boolean;
  blacked?: boolean;
  blackCustomerType?: OpluxBlackCustomerType;
  blackSettleCategory?: string;
  blackOtherCategory?: string;
}

export interface NormalizedName {
  ok: boolean;
  first?: string;
  last?: string;
  counts: Record<string, number>;
}

export interface OpluxClient {
  /** Not idempotent at O-PLUX: each call creates an event. After a timeout, look up before registering again. */
  registerEvent(e: OpluxEventInput): Promise<RegisteredEvent>;
  getEvent(eventId: string): Promise<FetchedEvent>;
  /**
   * The events registered under the shop's own id, oldest first ([] when none). ASSUMED: no public client queries
   * by `request.condition.event_id_for_shop`; the emulator supports it, the real API may not.
   */
  findEventsByShopEventId(eventIdForShop: string): Promise<FetchedEvent[]>;
  updateEvent(eventId: string, u: EventUpdate): Promise<void>;
  normalizeName(lastName: string, firstName: string): Promise<NormalizedName>;
}

const manualOf = (text: string | undefined): OpluxManualResult | undefined => {
  if (!text) return undefined;
  if (text in MANUAL_RESULTS) return MANUAL_RESULTS[text as OpluxManualCode];
  return (Object.values(MANUAL_RESULTS) as string[]).includes(text) ? (text as OpluxManualResult) : undefined;
};
const reviewOf = (text: string | undefined): OpluxReview =>
  (REVIEW_RESULTS as readonly string[]).includes(text ?? '') ? (text as OpluxReview) : 'REVIEW'; // unknown: a human looks
const flag = (b: boolean | undefined) => (b === undefined ? undefined : b ? '1' : '0');

/**
 * Our client of the O-PLUX v2 event API and the name normalizer. No hidden retries: a failed call throws an
 * OpluxApiError whose `retryable` says whether trying again can help; fail-open or fail-closed is the workflow's call.
 */
export function createOpluxClient(options: OpluxClientOptions): OpluxClient {
  const now = options.now ?? (() => new Date());
  const hashMethod = options.hashMethod ?? 'SHA256';

  function authKeys(): Record<string, string> {
    const requestDatetime = opluxDatetime(now());
    const signiture = sign({ connectionId: options.connectionId, shopId: options.shopId, requestDatetime, secretKey: options.secretKey, hashMethod });
    // `signiture` (sic) is the v2 field name
    return { version: '1.0', shop_id: options.shopId, signiture, hash_method: hashMethod, request_datetime: requestDatetime };
  }

  const withPrefix = (f: Record<string, string | undefined>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...authKeys(), ...f })) if (v !== undefined) params.set(`request.${k}`, v);
    return params;
  };

  async function fetchText(url: URL, init: RequestInit): Promise<{ status: number; text: string }> {
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(options.timeoutMs) });
      return { status: response.status, text: await response.text() };
    } catch (err) {
      const name = (err as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') throw OpluxApiError.timeout(options.timeoutMs);
      throw OpluxApiError.network((err as Error & { cause?: Error }).cause?.message ?? (err as Error).message);
    }
  }

  async function call(method: 'GET' | 'POST' | 'PUT', fields: Record<string, string | undefined>) {
    const url = new URL(options.eventUrl);
    const params = withPrefix(fields);
    let init: RequestInit = { method };
    if (method === 'GET') for (const [k, v] of params) url.searchParams.set(k, v);
    else init = { method, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: params.toString() };
    const { status, text } = await fetchText(url, init);
    let doc: Record<string, unknown>;
    try {
      doc = parseXml(text);
    } catch {
      throw OpluxApiError.fromHttp(status, text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
    }
    const parsed = responseSchema.safeParse(doc);
    if (!parsed.success) {
      if (status >= 400) throw OpluxApiError.fromHttp(status, '');
      throw new OpluxApiError(`unexpected O-PLUX response: ${parsed.error.issues[0]?.message}`, 'invalid', undefined, status);
    }
    const r = parsed.data.response;
    if (r.result === '20') {
      const first = r.errors[0];
      throw OpluxApiError.fromResult(first?.code ?? '', first?.message || 'unknown error', status);
    }
    return r;
  }

  const toRule = (r: { code: string; description?: string; touchpoint?: string }): OpluxRule => ({
    code: r.code,
    ...(r.description ? { description: r.description } : {}),
    ...(r.touchpoint ? { touchpoint: r.touchpoint } : {}),
  });

  async function get(condition: Record<string, string>): Promise<FetchedEvent[]> {
    const r = await call('GET', { fields: 'rules,score,similars,aaresult,maresult', ...condition });
    return r.events.map((e) => ({
      eventId: e.id,
      eventIdForShop: e.event_id_for_shop,
      aaResult: reviewOf(e.aaresult ? e.aaresult.result : undefined),
      maResult: manualOf(e.maresult ? e.maresult.result : undefined),
      maReason: (e.maresult && e.maresult.reason) || undefined,
      rules: e.rules.map(toRule),
      score: e.score,
      settleStatus: e.settle_status,
      blacked: e.blacked === undefined ? undefined : e.blacked === '1',
      deleted: e.deleted === undefined ? undefined : e.deleted === '1',
    }));
  }

  return {
    async registerEvent(e) {
      const r = await call('POST', eventForm(e));
      if (!r.event) throw new OpluxApiError('register answered without an event', 'invalid', undefined, 200);
      const ev = r.event;
      return {
        eventId: ev.id, review: ev.result, skipped: ev.skipped === '1', score: ev.score, rules: ev.rules.map(toRule),
        ruleGroup: ev.ruleGroup ?? ev.rule_group, similarEventIds: ev.similars.flatMap((s) => (s.event_id ? [s.event_id] : [])),
      };
    },

    async getEvent(eventId) {
      const [event] = await get({ 'condition.event_id': eventId });
      if (!event) throw new OpluxApiError(`event ${eventId} missing from the answer`, 'not-found', undefined, 200);
      return event;
    },

    async findEventsByShopEventId(eventIdForShop) {
      try {
        return await get({ 'condition.event_id_for_shop': eventIdForShop });
      } catch (err) {
        if (err instanceof OpluxApiError && err.kind === 'not-found') return [];
        throw err;
      }
    },

    async updateEvent(eventId, u) {
      await call('PUT', {
        'condition.event_id': eventId,
        'update.settle_status': u.settleStatus,
        'update.maResult': u.maResult,
        'update.memo': u.memo,
        'update.deleted': flag(u.deleted),
        'update.blacked': flag(u.blacked),
        'update.black_customer_type': u.blackCustomerType,
        'update.black_settle_category': u.blackSettleCategory,
        'update.black_other_category': u.blackOtherCategory,
      });
    },

    async normalizeName(lastName, firstName) {
      const url = new URL(options.normalizerUrl);
      // SFCC sends 姓, a space and 名, uppercased
      url.searchParams.set('name', `${lastName} ${firstName}`.toUpperCase());
      url.searchParams.set('fields', 'firstName,lastName');
      const { status, text } = await fetchText(url, { method: 'GET' });
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw OpluxApiError.fromHttp(status, text);
      }
      const r = (body as { response?: Record<string, unknown> }).response;
      if (!r) throw OpluxApiError.fromHttp(status, text);
      if (r.result !== 'success') {
        const first = (r.errors as Array<{ code?: string; message?: string }> | undefined)?.[0];
        if (!first && status >= 400) throw OpluxApiError.fromHttp(status, '');
        throw OpluxApiError.fromResult(first?.code ?? '', first?.message ?? 'name normalization failed', status);
      }
      const writing = (k: string) => ((r[k] as { writing?: string | null } | undefined)?.writing ?? undefined) || undefined;
      return {
        ok: true,
        first: writing('firstName'),
        last: writing('lastName'),
        counts: (r.letterCount as Record<string, number> | undefined) ?? {},
      };
    },
  };
}
