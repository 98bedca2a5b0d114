import type { Pool } from 'pg';
import type { OpluxClient } from '../oplux/client';
import type { Mailer } from '../mail/mailer';

/** SCAFFOLD (issue 5): the O-PLUX fraud review's activities. Owned by the O-PLUX helper. */
export interface OpluxShop {
  client: OpluxClient;
  notifyEmail: string;
}

export interface OpluxActivityDeps {
  db: Pool;
  mailer: Mailer;
  /** The shop's O-PLUX client and settings, built by the worker from its account; undefined when the shop has none. */
  opluxShop(shopId: string): OpluxShop | undefined;
}

export function createOpluxReviewActivities(_deps: OpluxActivityDeps) {
  return {};
}
