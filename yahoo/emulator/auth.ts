import { randomBytes } from 'node:crypto';
import { YAHOO_ERROR } from '../errors';
import type { EmulatorKit } from '../../sandbox/toolkit/emulator-kit';

/** An application registered with Yahoo! ID連携, bound to one store (the emulator's simplification). */
export interface YahooApp {
  clientId: string;
  clientSecret: string;
  sellerId: string;
  /** has the scope ストア向け操作関連の機能; false answers 401 insufficient_scope */
  storeScope: boolean;
  /** 注文API利用申請 done; false answers 403 px-04303 */
  orderApiApproved: boolean;
}

interface Grant {
  clientId: string;
  /** when the store authorized (the authorization code grant); the order-API session counts from here */
  authorizedAt: Date;
}
interface IssuedToken extends Grant {
  expiresAt: Date;
}

export interface AuthSettings {
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  /** Order APIs without public-key auth end the session this long after the first authorization (px-04102). */
  orderSessionHours: number;
  /** Calls per API in any 1 s (sandbox clock) before 403; 10 per the older help page. 0 turns it off. */
  rateLimitPerSecond: number;
}

export const defaultAuthSettings = (): AuthSettings => ({
  accessTokenTtlSeconds: 3600, refreshTokenTtlDays: 28, orderSessionHours: 12, rateLimitPerSecond: 10,
});

export type AuthError = { code: string; message: string; httpStatus: number };
export type AuthOutcome<T> = { ok: true; value: T } | { ok: false; error: AuthError };

const token = (prefix: string) => `${prefix}.${randomBytes(18).toString('base64url')}`;

/**
 * Yahoo! ID連携 v2 in the small: apps, authorization codes, access and refresh tokens, the 12-hour order-API session
 * and the per-second rate limit. Tokens are checked on every wire call; times follow the sandbox clock.
 */
export class YahooAuth {
  readonly apps = new Map<string, YahooApp>();
  settings = defaultAuthSettings();
  private codes = new Map<string, Grant & { redirectUri: string; expiresAt: Date }>();
  private accessTokens = new Map<string, IssuedToken>();
  private refreshTokens = new Map<string, IssuedToken>();
  private calls = new Map<string, number[]>();

  constructor(private readonly kit: EmulatorKit) {}

  reset(): void {
    this.apps.clear();
    this.codes.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.calls.clear();
    this.settings = defaultAuthSettings();
  }

  registerApp(app: YahooApp): YahooApp {
    this.apps.set(app.clientId, app);
    return app;
  }

  /** The consent screen, auto-approved: a one-use code valid 10 minutes (ASSUMED). */
  issueCode(clientId: string, redirectUri: string): string | undefined {
    if (!this.apps.has(clientId)) return undefined;
    const now = this.kit.clock.now();
    const code = token('code');
    this.codes.set(code, { clientId, redirectUri, authorizedAt: now, expiresAt: new Date(now.getTime() + 600_000) });
    return code;
  }

  /** grant_type=authorization_code and refresh_token, as /yconnect/v2/token answers them (RFC 6749 error names). */
  grant(form: Record<string, string | undefined>, basic?: { id: string; secret: string }): AuthOutcome<{ access_token: string; token_type: 'Bearer'; expires_in: number; refresh_token?: string }> {
    const clientId = basic?.id ?? form.client_id;
    const secret = basic?.secret ?? form.client_secret;
    const app = clientId ? this.apps.get(clientId) : undefined;
    if (!app || app.clientSecret !== secret) return { ok: false, error: { code: 'invalid_client', message: 'client authentication failed', httpStatus: 401 } };
    const now = this.kit.clock.now();
    const invalidGrant = (message: string): AuthOutcome<never> => ({ ok: false, error: { code: 'invalid_grant', message, httpStatus: 400 } });

    if (form.grant_type === 'authorization_code') {
      const code = form.code ? this.codes.get(form.code) : undefined;
      if (form.code) this.codes.delete(form.code); // one use, even when it fails
      if (!code || code.clientId !== app.clientId || code.expiresAt <= now) return invalidGrant('invalid or expired authorization code');
      if (form.redirect_uri !== code.redirectUri) return invalidGrant('redirect_uri does not match');
      const refresh = token('rt');
      this.refreshTokens.set(refresh, { clientId: app.clientId, authorizedAt: code.authorizedAt, expiresAt: new Date(now.getTime() + this.settings.refreshTokenTtlDays * 86_400_000) });
      return { ok: true, value: { ...this.issueAccess(app.clientId, code.authorizedAt), refresh_token: refresh } };
    }
    if (form.grant_type === 'refresh_token') {
      const refresh = form.refresh_token ? this.refreshTokens.get(form.refresh_token) : undefined;
      if (!refresh || refresh.clientId !== app.clientId || refresh.expiresAt <= now) return invalidGrant('invalid or expired refresh token');
      // a refresh keeps the original authorization time: it does not extend the 12-hour order-API session
      return { ok: true, value: this.issueAccess(app.clientId, refresh.authorizedAt) };
    }
    return { ok: false, error: { code: 'unsupported_grant_type', message: `grant_type ${form.grant_type ?? '(none)'}`, httpStatus: 400 } };
  }

  /**
   * A refresh token known in advance, as if the store had authorized the app at `now` (the dev sandbox gives the
   * worker one through its configuration).
   */
  registerRefreshToken(clientId: string, refreshToken: string): boolean {
    if (!this.apps.has(clientId)) return false;
    const now = this.kit.clock.now();
    this.refreshTokens.set(refreshToken, { clientId, authorizedAt: now, expiresAt: new Date(now.getTime() + this.settings.refreshTokenTtlDays * 86_400_000) });
    return true;
  }

  /** A token pair without the redirect dance, for tests and the control plane. */
  issueDirect(clientId: string) {
    const code = this.issueCode(clientId, 'urn:sandbox');
    const app = this.apps.get(clientId);
    if (!code || !app) return undefined;
    const r = this.grant({ grant_type: 'authorization_code', code, redirect_uri: 'urn:sandbox', client_id: clientId, client_secret: app.clientSecret });
    return r.ok ? r.value : undefined;
  }

  private issueAccess(clientId: string, authorizedAt: Date) {
    const now = this.kit.clock.now();
    const access = token('at');
    this.accessTokens.set(access, { clientId, authorizedAt, expiresAt: new Date(now.getTime() + this.settings.accessTokenTtlSeconds * 1000) });
    return { access_token: access, token_type: 'Bearer' as const, expires_in: this.settings.accessTokenTtlSeconds };
  }

  /** Checks `Authorization: Bearer`, the app's scope and approval, the order session, then the rate limit. */
  authorize(header: string | undefined, api: string): AuthOutcome<YahooApp> {
    const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!m?.[1]) return { ok: false, error: YAHOO_ERROR.noToken };
    const issued = this.accessTokens.get(m[1]);
    const now = this.kit.clock.now();
    const app = issued ? this.apps.get(issued.clientId) : undefined;
    if (!issued || !app || issued.expiresAt <= now) return { ok: false, error: YAHOO_ERROR.invalidToken };
    if (!app.storeScope) return { ok: false, error: YAHOO_ERROR.insufficientScope };
    if (!app.orderApiApproved) return { ok: false, error: YAHOO_ERROR.notApproved };
    if (now.getTime() - issued.authorizedAt.getTime() >= this.settings.orderSessionHours * 3_600_000) return { ok: false, error: YAHOO_ERROR.sessionExpired };
    if (!this.withinRate(`${app.clientId}:${api}`, now.getTime())) return { ok: false, error: YAHOO_ERROR.rateLimited };
    return { ok: true, value: app };
  }

  /** A sliding one-second window per app and API ("1つのAPIに対しての上限は10req/sec"); refused calls count too (ASSUMED). */
  private withinRate(key: string, nowMs: number): boolean {
    const limit = this.settings.rateLimitPerSecond;
    if (limit <= 0) return true;
    const recent = (this.calls.get(key) ?? []).filter((t) => t > nowMs - 1000);
    recent.push(nowMs);
    this.calls.set(key, recent);
    return recent.length <= limit;
  }
}
