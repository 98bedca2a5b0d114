import type { ApiOperation } from '../operation';
import { ok, shopParams } from '../common';
import { auditAnswer, auditQuery } from '../../audit/schemas';

const tag = 'Audit';

export const AUDIT_OPERATIONS: ApiOperation[] = [
  {
    method: 'get', path: '/shops/{shopId}/audit', tag, role: 'viewer',
    summary: "Who did what to which order of the shop, and how it ended; newest first", params: shopParams, query: auditQuery,
    responses: { 200: ok('the entries', auditAnswer) },
  },
  {
    method: 'get', path: '/audit', tag, role: 'admin',
    summary: 'The whole audit, deployment-wide rows (operators, tokens) included',
    description: 'Only an admin of every shop (shops: null) may read it.', query: auditQuery,
    responses: { 200: ok('the entries', auditAnswer) },
  },
];
