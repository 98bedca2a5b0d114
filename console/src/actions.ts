import { api } from './api';
import type { ActionForm } from './action-forms';

let forms: Promise<Record<string, ActionForm>> | undefined;
/** The operator actions' argument forms (actions.json beside the bundle). */
export const actionForms = (): Promise<Record<string, ActionForm>> => (forms ??= fetch('actions.json').then((r) => r.json() as Promise<Record<string, ActionForm>>));

export interface BulkSummary {
  id: string; action: string; operator: { id: string; name: string } | string; status: string;
  total: number; done: number; applied: number; refused: number; notFound: number; failed: number; canceled: number;
  createdAt: string; finishedAt: string | null;
}

/** Starts a bulk action; a request id made when the dialog opened makes a double submit the same bulk action. */
export const startBulk = (base: string, action: string, args: Record<string, unknown>, orderIds: string[], requestId: string) =>
  api<{ id: string; total: number }>('POST', `${base}/bulk-actions`, { action, args, orderIds }, { 'idempotency-key': requestId });

export const runSingle = (path: string, body: unknown) => api<unknown>('POST', path, body);
