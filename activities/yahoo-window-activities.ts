import type { Pool } from 'pg';
import type { YahooClient } from '../yahoo/client';
import type { Mailer } from '../mail/mailer';

/** SCAFFOLD (issue 5): the Yahoo window's activities. Owned by the Yahoo helper. */
export interface YahooShop {
  client: YahooClient;
  notifyEmail: string;
}

export interface YahooActivityDeps {
  db: Pool;
  mailer: Mailer;
  /** The shop's Yahoo client and settings, built by the worker from its account; undefined when the shop has none. */
  yahooShop(shopId: string): YahooShop | undefined;
}

export function createYahooWindowActivities(_deps: YahooActivityDeps) {
  return {};
}
