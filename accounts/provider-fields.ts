import { z } from 'zod';

/**
 * The provider accounts a shop keeps (seed 003, 外部連携アカウント管理), field by field. `secret` fields are stored
 * sealed and never shown again; the others are settings an operator may read back.
 */
const text = (max = 256) => z.string().trim().min(1).max(max);

export const PROVIDER_ACCOUNTS = {
  'gmo-pg': {
    fields: z.object({
      shopId: text(13), shopPass: text(10), siteId: text(13).optional(), sitePass: text(20).optional(),
    }),
    secret: ['shopPass', 'sitePass'],
  },
  'amazon-pay': {
    fields: z.object({
      merchantId: text(32), publicKeyId: text(64), privateKey: z.string().includes('PRIVATE KEY', { message: 'must be a PEM private key' }),
      region: z.enum(['jp', 'us', 'na', 'eu', 'de', 'uk']).default('jp'), environment: z.enum(['sandbox', 'live']).default('sandbox'),
      // the SNS topics this merchant's IPNs come from: an IPN from any other topic is refused
      ipnTopicArns: z.array(z.string().trim().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, 'an SNS topic ARN')).min(1).max(20).optional(),
    }),
    secret: ['privateKey'],
  },
  yahoo: {
    fields: z.object({
      sellerId: text(64), clientId: text(), clientSecret: text(), refreshToken: text(2048), publicKey: z.string().optional(),
    }),
    secret: ['clientSecret', 'refreshToken', 'publicKey'],
  },
  'au-pay': {
    fields: z.object({
      shopId: z.string().regex(/^\d{1,20}$/, 'the numeric au PAY store id'), apiKey: text(),
      apiKeyIssuedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD'),
    }),
    secret: ['apiKey'],
  },
  oplux: {
    fields: z.object({ merchantId: text(64), accessId: text(64), secret: text() }),
    secret: ['secret'],
  },
  'external-system': {
    fields: z.object({ url: z.string().url(), signingSecret: z.string().min(16, 'at least 16 characters') }),
    secret: ['signingSecret'],
  },
} as const;

export type Provider = keyof typeof PROVIDER_ACCOUNTS;
export const PROVIDERS = Object.keys(PROVIDER_ACCOUNTS) as Provider[];
export type ProviderAccount<P extends Provider> = z.infer<(typeof PROVIDER_ACCOUNTS)[P]['fields']>;

/** An own key only: `constructor` or `__proto__` is no provider. */
export const isProvider = (p: string): p is Provider => Object.hasOwn(PROVIDER_ACCOUNTS, p);

/** What an operator may see of an account: the settings as they are, each secret as set or not and its last 4. */
export type MaskedAccount = Record<string, string | string[] | { set: boolean; last4: string | null }>;

export function maskAccount(provider: Provider, account: Record<string, unknown>): MaskedAccount {
  const secret = new Set<string>(PROVIDER_ACCOUNTS[provider].secret);
  const shape = Object.keys(PROVIDER_ACCOUNTS[provider].fields.shape);
  const masked: MaskedAccount = {};
  for (const name of shape) {
    const value = account[name];
    if (secret.has(name)) {
      const s = typeof value === 'string' ? value.trim() : '';
      // a PEM's last 4 are its footer: show the last 4 of the key body instead
      // counted in characters, not UTF-16 units: half a surrogate pair is text PostgreSQL's jsonb refuses (a 500 before)
      const body = Array.from(s.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''));
      masked[name] = { set: s.length > 0, last4: body.length >= 8 ? body.slice(-4).join('') : null };
    } else if (Array.isArray(value)) {
      masked[name] = value.map(String);
    } else if (value !== undefined) {
      masked[name] = String(value);
    }
  }
  return masked;
}
