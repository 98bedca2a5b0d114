import express, { type Request, type Response, type Router } from 'express';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { finishShipmentImport, getShipmentImport, listRowResults, listShipmentImports, type ShipmentImportView } from '../../db/shipment-imports';
import { auditedAs } from '../../operators/audit';
import { csvContentType, encodeCsv, toCsv, UnsupportedCharsetError } from '../../shipment-import/csv';
import { columnNames, MAX_IMPORT_ROWS, rowsFromCsv, rowsFromJson, ShipmentFileError, TooManyRowsError, type RawRow } from '../../shipment-import/file-rows';
import type { ImportEncoding, OnError, ShipDateMode, ShipmentFlags } from '../../shipment-import/types';
import { validateShipmentRows } from '../../shipment-import/validate';
import { createShopDirectory } from '../../shops/shop-directory';
import { cancelShipmentImportUpdate } from '../../workflows/shipment-import-messages';
import { shipmentImportWorkflowId } from '../../workflows/workflow-ids';
import { actorOf } from '../auth';
import { HttpError } from '../http-error';
import { isClosedWorkflowError } from '../operator-action';
import type { ApiDeps } from '../app';
import { createShipmentImportRun, requestHashOf } from './create-import';
import { IMPORT_ID, importHeaders, importJsonBody, importQuery } from './schemas';

/** /shops/:shopId/shipment-imports: 出荷実績取込 — a shipment file validated whole, then applied row by row; its progress, results and cancel. */
export function createShipmentImportRoutes(deps: ApiDeps): Router {
  const router = express.Router({ mergeParams: true });
  const directory = deps.shops ?? createShopDirectory(deps.db, { cacheMs: 0 });
  const shopOf = (params: unknown) => (params as { shopId: string }).shopId;

  /** The shop's import, or 404 (another shop's id, or no id at all). */
  async function importOf(shopId: string, id: string): Promise<ShipmentImportView> {
    const i = IMPORT_ID.test(id) ? await getShipmentImport(deps.db, shopId, id) : undefined;
    if (!i) throw new HttpError(404, `unknown shipment import ${IMPORT_ID.test(id) ? id : ''}`.trim());
    return i;
  }

  router.post('/', async (req, res) => {
    const shopId = shopOf(req.params);
    const key = importHeaders.parse(req.headers)['idempotency-key'];
    const file = readFile(req, res);
    const shop = await directory.settings(shopId, 'shipment-import');
    const flags: ShipmentFlags = {
      shipDateMode: file.options.shipDateMode ?? shop.shipDateMode,
      capture: file.options.capture ?? shop.capture,
      trackingNumberApi: file.options.trackingNumberApi ?? shop.trackingNumberApi,
    };
    const onError = file.options.onError ?? shop.onError;
    const validation = await validateShipmentRows(deps.db, shopId, file.rows, { flags, columnOf: columnNames[file.encoding === 'json' ? 'json' : 'csv'] });
    const { problems } = validation;
    if (problems.length > 0 && onError === 'reject') {
      throw new HttpError(422, `${validation.invalid.length} of ${file.rows.length} rows cannot be imported; nothing was imported (onError reject: fix them, or send onError=skip to let the valid rows go ahead)`, { problems });
    }
    const run = await createShipmentImportRun(deps, actorOf(res), { shopId, encoding: file.encoding, onError, requestHash: file.requestHash, idempotencyKey: key, validation });
    res.status(run.created ? 202 : 200).json({
      id: run.id, workflowId: shipmentImportWorkflowId(shopId, run.id), total: run.total,
      valid: validation.valid.length, invalid: validation.invalid.length, problems,
    });
  });

  router.get('/', async (req, res) => {
    res.json({ imports: await listShipmentImports(deps.db, shopOf(req.params), 50) });
  });

  router.get('/:id', async (req, res) => {
    res.json(await importOf(shopOf(req.params), req.params.id));
  });

  // one line per row, in the file's encoding (a JSON import: UTF-8)
  router.get('/:id/results.csv', async (req, res) => {
    const shopId = shopOf(req.params);
    const i = await importOf(shopId, req.params.id);
    const rows = await listRowResults(deps.db, shopId, i.id);
    const encoding = i.encoding === 'shift_jis' ? 'shift_jis' : 'utf-8';
    const text = toCsv([['行', '受注番号', '結果', '詳細'], ...rows.map((r) => [r.line, r.orderId, r.outcome ?? '', r.detail ?? ''])]);
    res.status(200).set('Content-Type', csvContentType(encoding))
      .set('Content-Disposition', `attachment; filename="shipment-import-${i.id}-results.csv"`)
      .send(encodeCsv(text, encoding));
  });

  // the rows not yet taken are not applied; those in flight finish. Answers once they are all marked.
  router.post('/:id/cancel', async (req, res) => {
    const shopId = shopOf(req.params);
    const i = await importOf(shopId, req.params.id);
    const finished = (status: string, reason?: string) => new HttpError(409, reason ?? `shipment import ${i.id} is ${status}`, { status });
    if (i.status !== 'running') throw finished(i.status);
    const result = await auditedAs(deps.db, actorOf(res), { shopId, process: 'shipment-import', orderId: null, action: 'shipment-import.cancel', input: { importId: i.id } }, async () => {
      try {
        return await deps.temporal.workflow.getHandle(i.workflowId).executeUpdate(cancelShipmentImportUpdate);
      } catch (err) {
        if (!(err instanceof WorkflowUpdateFailedError) && !isClosedWorkflowError(err)) throw err;
        const status = (await getShipmentImport(deps.db, shopId, i.id))?.status ?? i.status;
        // still running with no workflow: its start is owed (the API died before it); when made, it finds nothing left to do
        if (status === 'running' && err instanceof WorkflowNotFoundError) {
          await finishShipmentImport(deps.db, i.id, 'canceled');
          return { status: 'canceled' as const };
        }
        const reason = err instanceof WorkflowUpdateFailedError && err.cause instanceof Error ? err.cause.message : undefined;
        throw finished(status, reason); // it finished meanwhile (or is finishing)
      }
    });
    res.json({ status: result.status });
  });

  return router;
}

interface ImportFile {
  encoding: ImportEncoding;
  rows: RawRow[];
  requestHash: string;
  options: { onError?: OnError; shipDateMode?: ShipDateMode; capture?: boolean; trackingNumberApi?: boolean };
}

/** The request's rows and options: a CSV body (its options in the query) or JSON (its own options over the query's). */
function readFile(req: Request, res: Response): ImportFile {
  const query = importQuery.parse(req.query);
  const csv = res.locals.csvFile as Buffer | undefined;
  if (csv) {
    try {
      const contentType = req.get('content-type');
      const { encoding, rows } = rowsFromCsv(csv, contentType);
      return { encoding, rows, options: query, requestHash: requestHashOf('csv', csv, JSON.stringify(query), contentType ?? '') };
    } catch (err) {
      if (err instanceof ShipmentFileError) {
        const first = err.problems[0]!;
        throw new HttpError(400, `the file cannot be read: line ${first.line}, ${first.column}: ${first.reason}`, { problems: err.problems });
      }
      if (err instanceof TooManyRowsError) throw new HttpError(413, err.message, { rows: err.rows });
      if (err instanceof UnsupportedCharsetError) throw new HttpError(415, err.message);
      throw err;
    }
  }
  if (req.body !== undefined || req.is('application/json') || !req.get('content-type')) {
    const rows = (req.body as { rows?: unknown } | undefined)?.rows;
    if (Array.isArray(rows) && rows.length > MAX_IMPORT_ROWS) {
      throw new HttpError(413, `the request has ${rows.length} rows; one import takes at most ${MAX_IMPORT_ROWS}`, { rows: rows.length });
    }
    const body = importJsonBody.parse(req.body);
    return {
      encoding: 'json', rows: rowsFromJson(body.rows), requestHash: requestHashOf('json', JSON.stringify([body, query])),
      options: { ...query, ...body.defaults, ...(body.onError ? { onError: body.onError } : {}) },
    };
  }
  throw new HttpError(415, 'send the shipment file as text/csv, or its rows as application/json');
}
