import { z } from 'zod';
import { ConfigError, parseEnv } from '../../common/env';
import { loadApiConfig, loadWorkerConfig } from '../../config';
import { jstDate, jstDateTime, parseCalendarDate } from '../../common/jst';
import { FaultRules } from '../../sandbox/toolkit/faults';

describe('configuration', () => {
  test('a missing or wrong variable stops start-up with its name', () => {
    expect(() => loadApiConfig({ DATABASE_URL: 'mysql://x', API_PORT: '99999' })).toThrow(ConfigError);
    try {
      loadApiConfig({ DATABASE_URL: 'mysql://x', API_PORT: '99999' });
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toMatch(/DATABASE_URL: must be a postgres:\/\/ URL/);
      expect(message).toMatch(/API_PORT:/);
      expect(message).toMatch(/API_TOKEN: missing/);
    }
  });
  test('defaults fill what development does not need to set', () => {
    const config = loadWorkerConfig({ DATABASE_URL: 'postgres://localhost/x' });
    expect(config).toMatchObject({ TEMPORAL_ADDRESS: '127.0.0.1:7233', TEMPORAL_TASK_QUEUE: 'renkei', AUPAY_TIMEOUT_MS: 10_000 });
  });
  test('a value is coerced and checked', () => {
    expect(parseEnv({ N: z.coerce.number().int() }, { N: '42' })).toEqual({ N: 42 });
    expect(() => parseEnv({ AUPAY_SHOP_ID: z.string().regex(/^\d+$/, 'digits') }, { AUPAY_SHOP_ID: 'abc' })).toThrow(/AUPAY_SHOP_ID: digits/);
  });
});

describe('business time is Asia/Tokyo', () => {
  test('an instant late in the UTC day is the next JST day', () => {
    expect(jstDate(new Date('2026-11-23T15:30:00Z'))).toBe('2026-11-24');
    expect(jstDateTime(new Date('2026-11-23T15:30:00Z'))).toBe('2026/11/24 00:30');
  });
  test('calendar dates in the variants the markets use', () => {
    expect(parseCalendarDate('2026/04/12')).toBe('2026-04-12');
    expect(parseCalendarDate('20260412')).toBe('2026-04-12');
    expect(parseCalendarDate('2026-02-30')).toBeNull();
    expect(parseCalendarDate('12/04/2026')).toBeNull();
  });
});

describe('fault rules', () => {
  test('first match wins, counted rules are spent, the rest pass', () => {
    const faults = new FaultRules();
    faults.add({ operation: 'op', kind: 'error', status: 503, times: 2 });
    faults.add({ operation: '*', kind: 'slow', delayMs: 5 });
    expect(faults.take('op')?.status).toBe(503);
    expect(faults.take('op')?.status).toBe(503);
    expect(faults.take('op')?.kind).toBe('slow');
    expect(faults.take('other')?.kind).toBe('slow');
  });
  test('a probability rule fires on its share of calls', () => {
    const faults = new FaultRules();
    faults.add({ kind: 'error', status: 500, probability: 0.5 });
    expect(faults.take('x', () => 0.4)).toBeDefined();
    expect(faults.take('x', () => 0.6)).toBeUndefined();
  });
  test('an error fault without a status is refused', () => {
    expect(() => new FaultRules().add({ kind: 'error' })).toThrow(/needs a status/);
  });
});

describe('a production deployment never talks to the sandbox by accident', () => {
  test('a provider left at the sandbox (loopback, or the sandbox\'s paths) is refused in production, by name, unless staging', async () => {
    const { refuseSandboxInProduction, isSandboxUrl } = await import('../../common/sandbox-guard');
    const { DEFAULT_URLS } = await import('../../common/local-urls');
    const real = { AUPAY_BASE_URL: 'https://api.manager.wowma.jp/wmshopapi', YAHOO_API_BASE_URL: 'https://circus.shopping.yahooapis.jp/ShoppingWebService/V1' };
    expect(() => refuseSandboxInProduction(real, { NODE_ENV: 'production' })).not.toThrow();
    const sandboxed = { ...real, OPLUX_EVENT_URL: DEFAULT_URLS.OPLUX_EVENT_URL, GMO_PG_BASE_URL: 'https://sandbox.internal.example/gmo-pg/payment/' };
    expect(() => refuseSandboxInProduction(sandboxed, { NODE_ENV: 'production' })).toThrow(/OPLUX_EVENT_URL: .*sandbox[\s\S]*GMO_PG_BASE_URL/);
    expect(() => refuseSandboxInProduction(sandboxed, { NODE_ENV: 'production', RENKEI_STAGING: 'true' })).not.toThrow();
    expect(() => refuseSandboxInProduction(sandboxed, {})).not.toThrow(); // development: the sandbox is the point
    expect(isSandboxUrl('https://pay-api.amazon.jp')).toBe(false);
    expect(isSandboxUrl(DEFAULT_URLS.AMAZONPAY_BASE_URL)).toBe(true);
  });

  test('an empty variable is an unset one: compose passes `${VAR:-}` for an optional one', async () => {
    const { loadWorkerConfig } = await import('../../config');
    const { DEFAULT_URLS } = await import('../../common/local-urls');
    const config = loadWorkerConfig({ DATABASE_URL: 'postgres://x/y', YAHOO_API_BASE_URL: '', OPLUX_TIMEOUT_MS: '' });
    expect(config.YAHOO_API_BASE_URL).toBe(DEFAULT_URLS.YAHOO_API_BASE_URL);
    expect(config.OPLUX_TIMEOUT_MS).toBe(5_000);
  });
});
