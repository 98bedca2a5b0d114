import type { Pool } from 'pg';
import type { Actor, Role } from '../operators/roles';

type Queryable = Pick<Pool, 'query'>;

export interface OperatorRow {
  id: string;
  name: string;
  role: Role;
  shops: string[] | null;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface TokenRow {
  id: string;
  operatorId: string;
  label: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const OPERATOR = `id, name, role, shops, disabled, created_at AS "createdAt", updated_at AS "updatedAt"`;
const TOKEN = `id, operator_id AS "operatorId", label, created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`;

/** undefined when the name is taken. */
export async function insertOperator(db: Queryable, o: { id: string; name: string; role: Role; shops: string[] | null }): Promise<OperatorRow | undefined> {
  const { rows } = await db.query<OperatorRow>(
    `INSERT INTO operators (id, name, role, shops) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING RETURNING ${OPERATOR}`,
    [o.id, o.name, o.role, o.shops],
  );
  return rows[0];
}

export async function listOperators(db: Queryable): Promise<OperatorRow[]> {
  return (await db.query<OperatorRow>(`SELECT ${OPERATOR} FROM operators ORDER BY name`)).rows;
}

export async function getOperator(db: Queryable, id: string): Promise<OperatorRow | undefined> {
  return (await db.query<OperatorRow>(`SELECT ${OPERATOR} FROM operators WHERE id = $1`, [id])).rows[0];
}

/** Changes only the fields given; undefined when there is no such operator. */
export async function updateOperator(db: Queryable, id: string, c: { role?: Role; shops?: string[] | null; disabled?: boolean }): Promise<OperatorRow | undefined> {
  const { rows } = await db.query<OperatorRow>(
    `UPDATE operators SET role = COALESCE($2, role), shops = CASE WHEN $3 THEN $4::text[] ELSE shops END,
       disabled = COALESCE($5, disabled), updated_at = now()
     WHERE id = $1 RETURNING ${OPERATOR}`,
    [id, c.role ?? null, c.shops !== undefined, c.shops ?? null, c.disabled ?? null],
  );
  return rows[0];
}

export async function deleteOperator(db: Queryable, id: string): Promise<boolean> {
  return ((await db.query(`DELETE FROM operators WHERE id = $1`, [id])).rowCount ?? 0) > 0;
}

export async function insertToken(db: Queryable, t: { id: string; operatorId: string; hash: string; label: string | null }): Promise<TokenRow> {
  const { rows } = await db.query<TokenRow>(
    `INSERT INTO operator_tokens (id, operator_id, token_hash, label) VALUES ($1, $2, $3, $4) RETURNING ${TOKEN}`,
    [t.id, t.operatorId, t.hash, t.label],
  );
  return rows[0]!;
}

export async function listTokens(db: Queryable, operatorId: string): Promise<TokenRow[]> {
  return (await db.query<TokenRow>(`SELECT ${TOKEN} FROM operator_tokens WHERE operator_id = $1 ORDER BY created_at`, [operatorId])).rows;
}

/** undefined when the operator has no such token; a revoked token stays listed with its time. */
export async function revokeToken(db: Queryable, operatorId: string, tokenId: string): Promise<TokenRow | undefined> {
  const { rows } = await db.query<TokenRow>(
    `UPDATE operator_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE operator_id = $1 AND id = $2 RETURNING ${TOKEN}`,
    [operatorId, tokenId],
  );
  return rows[0];
}

/**
 * The operator a live token belongs to (not revoked, operator not disabled), noting its use. The last-used time is
 * written at most once a minute per token, so a busy client does not turn every read into a write.
 */
export async function actorOfToken(db: Queryable, hash: string): Promise<Actor | undefined> {
  const { rows } = await db.query<Actor & { tokenId: string; stale: boolean }>(
    `SELECT o.id, o.name, o.role, o.shops, t.id AS "tokenId",
            (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute') AS stale
       FROM operator_tokens t JOIN operators o ON o.id = t.operator_id
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND NOT o.disabled`,
    [hash],
  );
  const row = rows[0];
  if (!row) return undefined;
  if (row.stale) await db.query(`UPDATE operator_tokens SET last_used_at = now() WHERE id = $1`, [row.tokenId]);
  return { id: row.id, name: row.name, role: row.role, shops: row.shops };
}
