import type { Pool } from 'pg';
import type { Mailer } from '../mail/mailer';
import type { AccountStore } from '../db/provider-accounts';
import type { AmazonPayShop } from './amazon-pay-activities';

/** SCAFFOLD (issue 6): the cancellation saga's activities. Owned by the cancellation helper. */
export interface OrderCancelActivityDeps {
  db: Pool;
  mailer: Mailer;
  /** sealed provider accounts (GMO-PG shop/site credentials among them) */
  accounts?: AccountStore;
  amazonPayShop(shopId: string): AmazonPayShop | undefined;
  notifyEmail(shopId: string): string | undefined;
}

export function createOrderCancelActivities(_deps: OrderCancelActivityDeps) {
  return {};
}
