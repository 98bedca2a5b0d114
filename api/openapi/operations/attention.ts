import type { ApiOperation } from '../operation';
import { ok, shopParams } from '../common';
import { attentionAnswer, attentionQuery } from '../../attention/schemas';

export const ATTENTION_OPERATIONS: ApiOperation[] = [
  {
    method: 'get', path: '/shops/{shopId}/attention', tag: 'Attention', role: 'viewer',
    summary: 'Every order waiting for a person or stopped at an error, oldest first, with the counts per process and status',
    params: shopParams, query: attentionQuery,
    responses: { 200: ok('a page and the counts', attentionAnswer) },
  },
];
