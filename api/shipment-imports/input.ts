import express, { type RequestHandler } from 'express';
import { jsonInput } from '../json-input';

/** A CSV of 100,000 rows with every column filled stays well under this. */
export const CSV_LIMIT = '64mb';
/** The same rows as JSON carry their field names on every row. */
export const JSON_LIMIT = '128mb';

/**
 * The shipment file's body: text/csv read as bytes (its charset is the import's business: declared or detected) and
 * kept aside in res.locals.csvFile, so the JSON checks that follow never walk a Buffer; JSON as the API reads it,
 * with a limit for 100,000 rows. Mounted on this route only.
 */
export function shipmentImportInput(): RequestHandler[] {
  const keepCsvAside: RequestHandler = (req, res, next) => {
    if (Buffer.isBuffer(req.body)) {
      res.locals.csvFile = req.body;
      req.body = undefined;
    }
    next();
  };
  return [express.raw({ type: 'text/csv', limit: CSV_LIMIT }), keepCsvAside, ...jsonInput({ limit: JSON_LIMIT })];
}
