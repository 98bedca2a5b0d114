/**
 * Seed 004's 権限 per person: 参照 (viewer) reads, 更新 (operator) also acts on orders, admin also changes a shop's
 * settings and accounts and manages operators. Each role includes the ones before it.
 */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who makes a call: an operator with a token, or the deployment's bootstrap API_TOKEN (an admin of every shop). */
export interface Actor {
  id: string;
  name: string;
  role: Role;
  /** The shops this operator may see; null: every shop. */
  shops: string[] | null;
}

export const BOOTSTRAP_ACTOR: Actor = { id: 'bootstrap', name: 'API_TOKEN', role: 'admin', shops: null };

export const hasRole = (actor: Actor, needed: Role): boolean => ROLES.indexOf(actor.role) >= ROLES.indexOf(needed);

export const seesShop = (actor: Actor, shopId: string): boolean => actor.shops === null || actor.shops.includes(shopId);
