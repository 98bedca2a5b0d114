import { ZodError } from 'zod';
import type { Pool } from 'pg';
import { finishAudit, insertAudit, type AuditEntry } from '../db/audit-log';
import { HttpError } from '../api/http-error';
import type { Actor } from './roles';
import { operatorActed } from '../metrics/business-events';

/**
 * Runs a state-changing effect under its audit row: the row is written first (outcome pending), then the effect, then
 * the outcome: applied, refused with the reason the caller was given (a 4xx), or failed. `auditId` continues a row
 * written before (a retried bulk step).
 */
export async function audited<T>(db: Pick<Pool, 'query'>, entry: AuditEntry & { auditId?: string; workflowId?: string }, effect: () => Promise<T>): Promise<T> {
  const id = entry.auditId ?? (await insertAudit(db, entry));
  // logged and counted as the audit row says (its input is not logged: it may hold an operator's memo)
  const about = { action: entry.action, operator: entry.operator, shopId: entry.shopId, orderId: entry.orderId, process: entry.process, workflowId: entry.workflowId, bulkId: entry.bulkId };
  let result: T;
  try {
    result = await effect();
  } catch (err) {
    const refused = err instanceof HttpError && err.status < 500 ? err.message : err instanceof ZodError ? err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : undefined;
    const status = err instanceof HttpError ? err.status : err instanceof ZodError ? 400 : null;
    await finishAudit(db, id, refused === undefined ? 'failed' : 'refused', refused ?? (err instanceof Error ? err.message : String(err)), refused === undefined ? null : status);
    operatorActed(refused === undefined ? 'failed' : 'refused', { ...about, reason: refused ?? (err instanceof Error ? err.message : String(err)) });
    throw err;
  }
  await finishAudit(db, id, 'applied', null);
  operatorActed('applied', about);
  return result;
}

/** audited(), for a call made by `actor`. */
export function auditedAs<T>(db: Pick<Pool, 'query'>, actor: Actor, e: Omit<AuditEntry, 'operatorId' | 'operator'>, effect: () => Promise<T>): Promise<T> {
  return audited(db, { operatorId: actor.id, operator: actor.name, ...e }, effect);
}
