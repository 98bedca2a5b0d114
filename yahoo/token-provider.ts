import { tokenResponseSchema, type TokenResponse } from './schemas';
import { YahooApiError } from './errors';

/** What the client asks for before each call; the caller decides how tokens are kept and refreshed. */
export interface YahooTokenProvider {
  accessToken(): Promise<string>;
}

export interface YConnectOptions {
  /** e.g. https://auth.login.yahoo.co.jp/yconnect/v2, or the sandbox's /yahoo/yconnect/v2 */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
}

/** POST /token with the client's Basic credentials; a refusal is a non-retryable YahooApiError (re-authorize). */
export async function requestToken(o: YConnectOptions, form: Record<string, string>): Promise<TokenResponse> {
  let res: Response;
  try {
    res = await fetch(`${o.baseUrl.replace(/\/+$/, '')}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${o.clientId}:${o.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(o.timeoutMs),
    });
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') throw YahooApiError.timeout(o.timeoutMs);
    throw YahooApiError.network((err as Error).message);
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    const code = typeof body.error === 'string' ? body.error : undefined;
    throw YahooApiError.fromHttp(res.status, code, typeof body.error_description === 'string' ? body.error_description : undefined);
  }
  return tokenResponseSchema.parse(body);
}

/** Exchanges the authorization code from the redirect for a token pair. */
export const exchangeAuthorizationCode = (o: YConnectOptions, code: string, redirectUri: string) =>
  requestToken(o, { grant_type: 'authorization_code', code, redirect_uri: redirectUri });

/**
 * Keeps one access token and refreshes it with the refresh token when it is within `marginMs` of expiry
 * (Yahoo gives about 3600 s). One refresh at a time; a failed refresh throws, nothing retries here.
 */
export function createRefreshingTokenProvider(
  o: YConnectOptions & { refreshToken: string; accessToken?: string; expiresAt?: Date; marginMs?: number; now?: () => Date },
): YahooTokenProvider & { invalidate(): void } {
  const now = o.now ?? (() => new Date());
  const margin = o.marginMs ?? 60_000;
  let current = o.accessToken && o.expiresAt ? { token: o.accessToken, expiresAt: o.expiresAt } : undefined;
  let pending: Promise<string> | undefined;
  return {
    async accessToken() {
      if (current && current.expiresAt.getTime() - margin > now().getTime()) return current.token;
      pending ??= requestToken(o, { grant_type: 'refresh_token', refresh_token: o.refreshToken })
        .then((t) => {
          current = { token: t.access_token, expiresAt: new Date(now().getTime() + t.expires_in * 1000) };
          return t.access_token;
        })
        .finally(() => {
          pending = undefined;
        });
      return pending;
    },
    /** Forget the token, e.g. after a 401 invalid_token, so the next call refreshes. */
    invalidate() {
      current = undefined;
    },
  };
}
