import type { ApiOperation } from '../operation';
import { fail, ok, shopParams } from '../common';
import {
  cancelAnswer, importCreatedAnswer, importCsvBody, importHeaders, importJsonBody, importListAnswer, importParams, importQuery, importView,
  problemsAnswer, tooManyRowsAnswer,
} from '../../shipment-imports/schemas';

const tag = 'Shipment imports';

export const SHIPMENT_IMPORT_OPERATIONS: ApiOperation[] = [
  {
    method: 'post', path: '/shops/{shopId}/shipment-imports', tag, role: 'operator',
    summary: '出荷実績取込: a shipment file (CSV or JSON rows) validated whole, then applied row by row',
    description: 'The CSV\'s options go in the query; a JSON body carries them itself (onError, defaults). Each flag left out '
      + 'takes the shop\'s settings `shipment-import`. onError reject (the default): any bad row answers 422 with every problem '
      + 'and nothing is stored; skip: the bad rows are stored as invalid and the valid ones go ahead. '
      + 'A retry with the same Idempotency-Key gets the same import (200); with another file, 409.',
    params: shopParams, query: importQuery, headers: importHeaders, body: importJsonBody, altBodies: { 'text/csv': importCsvBody },
    responses: {
      200: ok('the same Idempotency-Key again: the same import', importCreatedAnswer),
      202: ok('stored; its workflow applies the rows', importCreatedAnswer),
      400: fail('the file cannot be read (each problem with its line, column and reason), or an invalid request'),
      409: fail('this Idempotency-Key was used for another file'),
      413: { description: 'more than 100,000 rows (the count), or a body too large', schema: tooManyRowsAnswer },
      415: fail('neither text/csv nor JSON, or a charset other than UTF-8 and Shift_JIS'),
      422: { description: 'onError reject and some rows are bad: every problem with its line, column and reason', schema: problemsAnswer },
    },
  },
  {
    method: 'get', path: '/shops/{shopId}/shipment-imports', tag, role: 'viewer',
    summary: "The shop's shipment imports, newest first (50)", params: shopParams,
    responses: { 200: ok('the imports with their progress', importListAnswer) },
  },
  {
    method: 'get', path: '/shops/{shopId}/shipment-imports/{id}', tag, role: 'viewer',
    summary: 'A shipment import and its progress: rows done of total, by outcome', params: importParams,
    responses: { 200: ok('the import', importView), 404: fail('unknown import') },
  },
  {
    method: 'get', path: '/shops/{shopId}/shipment-imports/{id}/results.csv', tag, role: 'viewer',
    summary: "Each row's outcome as CSV (行,受注番号,結果,詳細), in the file's encoding", params: importParams,
    responses: { 200: { description: 'the results, in line order (結果 blank: not done yet)', mediaType: 'text/csv' }, 404: fail('unknown import') },
  },
  {
    method: 'post', path: '/shops/{shopId}/shipment-imports/{id}/cancel', tag, role: 'operator',
    summary: 'Cancel a running import: the rows not yet applied are not applied (canceled)', params: importParams,
    responses: { 200: ok('canceled (or it completed first)', cancelAnswer), 404: fail('unknown import'), 409: fail('it has finished') },
  },
];
