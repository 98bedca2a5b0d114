import { createHash, randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { createShipmentImport, getShipmentImportRequest } from '../../db/shipment-imports';
import type { PendingStart } from '../../db/workflow-starts';
import { auditedAs } from '../../operators/audit';
import type { Actor } from '../../operators/roles';
import type { Validation } from '../../shipment-import/validate';
import type { ImportEncoding, OnError } from '../../shipment-import/types';
import type { ShipmentImportInput } from '../../workflows/shipment-import-messages';
import { SHOP_ID } from '../../workflows/search-attributes';
import { shipmentImportWorkflowId } from '../../workflows/workflow-ids';
import { HttpError } from '../http-error';
import { attributes, writeThenStart } from '../pending-starts';

interface Deps {
  db: Pool;
  temporal: Client;
  taskQueue: string;
  /** how long the start may wait on Temporal, counted once the rows are stored (8 s when unset) */
  temporalDeadlineMs?: number;
}

export interface ImportRequest {
  shopId: string;
  encoding: ImportEncoding;
  onError: OnError;
  /** the file (or JSON body) and its options, hashed: a repeat of the key must carry the same */
  requestHash: string;
  idempotencyKey?: string;
  validation: Validation;
}

/** Registered by the worker (workflows/shipment-import.ts); started by name so the API needs no workflow code. */
export const SHIPMENT_IMPORT_WORKFLOW = 'shipmentImportWorkflow';

/** A request's hash: the same bytes and options give the same hash. */
export const requestHashOf = (...parts: Array<string | Buffer>): string => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
};

/** The start of a stored import's workflow (made by startPending, or by the start reconciler when it is owed). */
export function shipmentImportStart(shopId: string, importId: string, taskQueue: string): PendingStart {
  const input: ShipmentImportInput = { shopId, importId };
  return {
    workflowId: shipmentImportWorkflowId(shopId, importId), shopId, workflowType: SHIPMENT_IMPORT_WORKFLOW, taskQueue,
    args: [input],
    conflictPolicy: 'USE_EXISTING', reusePolicy: 'REJECT_DUPLICATE', // a repeat finds the running one, never runs a finished one again
    searchAttributes: attributes([[SHOP_ID, shopId]]),
    row: { table: 'shipment-import', orderId: importId },
  };
}

/**
 * Stores the import with every row and starts its workflow, the way every start is made (writeThenStart: the start
 * is owed before the rows, so the start reconciler makes it if the API dies in between). A repeat with the same
 * Idempotency-Key finds the same id: the same import, never a twin; with another file it is a 409.
 */
export async function createShipmentImportRun(deps: Deps, actor: Actor, r: ImportRequest): Promise<{ id: string; total: number; created: boolean }> {
  const id = r.idempotencyKey
    ? createHash('sha256').update(`${r.shopId}\0shipment-import\0${r.idempotencyKey}`).digest('hex').slice(0, 32)
    : randomBytes(16).toString('hex');
  const earlier = r.idempotencyKey ? await getShipmentImportRequest(deps.db, r.shopId, id) : undefined;
  let created = false;
  const write = async () => {
    created = await createShipmentImport(deps.db, {
      id, shopId: r.shopId, encoding: r.encoding, onError: r.onError, actor, idempotencyKey: r.idempotencyKey ?? null,
      requestHash: r.requestHash, rows: r.validation.valid, invalid: r.validation.invalid,
    });
    return (await getShipmentImportRequest(deps.db, r.shopId, id))!;
  };
  const start = () => writeThenStart(deps, shipmentImportStart(r.shopId, id, deps.taskQueue), {
    write, proceed: (row) => row.requestHash === r.requestHash, startDeadlineMs: deps.temporalDeadlineMs ?? 8_000,
  });
  const total = r.validation.valid.length + r.validation.invalid.length;
  // a repeat is not a new change: only an import written now is audited as created
  const { row, outcome } = earlier
    ? await start()
    : await auditedAs(deps.db, actor, {
      shopId: r.shopId, process: 'shipment-import', orderId: null, action: 'shipment-import.create',
      input: { importId: id, encoding: r.encoding, onError: r.onError, total, invalid: r.validation.invalid.length },
    }, start);
  if (outcome === null) throw new HttpError(409, 'this Idempotency-Key was used for another shipment file', { id });
  return { id, total: row.total, created };
}
