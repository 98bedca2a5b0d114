import type { Pool } from 'pg';

type Queryable = Pick<Pool, 'query'>;

export const MAIL_AUDIENCES = ['admins', 'notify'] as const;
export type MailAudience = (typeof MAIL_AUDIENCES)[number];

export interface ShopRow {
  id: string;
  name: string;
  enabled: boolean;
  adminEmails: string[];
  notifyEmail: string | null;
  /** mail kind → who gets it; a kind not listed goes to both */
  mailRoutes: Record<string, MailAudience[]>;
  createdAt: string;
  updatedAt: string;
}

const SHOP = `id, name, enabled, admin_emails AS "adminEmails", notify_email AS "notifyEmail", mail_routes AS "mailRoutes",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

export type NewShop = Pick<ShopRow, 'id' | 'name' | 'adminEmails' | 'notifyEmail' | 'mailRoutes'>;

/** undefined when the id is taken. */
export async function insertShop(db: Queryable, s: NewShop): Promise<ShopRow | undefined> {
  const { rows } = await db.query<ShopRow>(
    `INSERT INTO shops (id, name, admin_emails, notify_email, mail_routes) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO NOTHING RETURNING ${SHOP}`,
    [s.id, s.name, s.adminEmails, s.notifyEmail, JSON.stringify(s.mailRoutes)],
  );
  return rows[0];
}

export async function getShop(db: Queryable, id: string): Promise<ShopRow | undefined> {
  return (await db.query<ShopRow>(`SELECT ${SHOP} FROM shops WHERE id = $1`, [id])).rows[0];
}

/** All shops, or only those listed (an operator of some shops). */
export async function listShops(db: Queryable, only: string[] | null): Promise<ShopRow[]> {
  return (await db.query<ShopRow>(`SELECT ${SHOP} FROM shops WHERE $1::text[] IS NULL OR id = ANY($1) ORDER BY id`, [only])).rows;
}

/** Changes only the fields given; undefined when there is no such shop. */
export async function updateShop(db: Queryable, id: string, c: Partial<Omit<NewShop, 'id'>> & { enabled?: boolean }): Promise<ShopRow | undefined> {
  const { rows } = await db.query<ShopRow>(
    `UPDATE shops SET name = COALESCE($2, name), enabled = COALESCE($3, enabled), admin_emails = COALESCE($4, admin_emails),
       notify_email = CASE WHEN $5 THEN $6 ELSE notify_email END, mail_routes = COALESCE($7, mail_routes), updated_at = now()
     WHERE id = $1 RETURNING ${SHOP}`,
    [id, c.name ?? null, c.enabled ?? null, c.adminEmails ?? null, c.notifyEmail !== undefined, c.notifyEmail ?? null, c.mailRoutes ? JSON.stringify(c.mailRoutes) : null],
  );
  return rows[0];
}

export async function isEnabledShop(db: Queryable, id: string): Promise<boolean> {
  return (await db.query(`SELECT 1 FROM shops WHERE id = $1 AND enabled`, [id])).rows.length > 0;
}

/** The stored settings of one process, or undefined when the shop has the defaults. */
export async function getStoredSettings(db: Queryable, shopId: string, process: string): Promise<unknown> {
  return (await db.query<{ settings: unknown }>(`SELECT settings FROM shop_settings WHERE shop_id = $1 AND process = $2`, [shopId, process])).rows[0]?.settings;
}

export async function putSettings(db: Queryable, shopId: string, process: string, settings: unknown): Promise<void> {
  await db.query(
    `INSERT INTO shop_settings (shop_id, process, settings) VALUES ($1, $2, $3)
     ON CONFLICT (shop_id, process) DO UPDATE SET settings = EXCLUDED.settings, updated_at = now()`,
    [shopId, process, JSON.stringify(settings)],
  );
}

/** A process's settings, stored only when the shop has none yet (a seed never overwrites what was set through the API). */
export async function insertSettingsIfMissing(db: Queryable, shopId: string, process: string, settings: unknown): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO shop_settings (shop_id, process, settings) VALUES ($1, $2, $3) ON CONFLICT (shop_id, process) DO NOTHING`,
    [shopId, process, JSON.stringify(settings)],
  );
  return (rowCount ?? 0) > 0;
}
