import type { ApiOperation } from '../operation';
import { ok, shopParams } from '../common';
import { mailListQuery, mailsAnswer, throttleAnswer, throttleBody } from '../../mail/schemas';

const tag = 'Mail';

export const MAIL_OPERATIONS: ApiOperation[] = [
  {
    method: 'get', path: '/shops/{shopId}/mails', tag, role: 'viewer',
    summary: 'Every mail renkei sent or held back, newest first', params: shopParams, query: mailListQuery,
    responses: { 200: ok('the mails', mailsAnswer) },
  },
  {
    method: 'get', path: '/shops/{shopId}/mail-throttle', tag, role: 'viewer',
    summary: 'The per-address mail throttle', params: shopParams,
    responses: { 200: ok('the throttle', throttleAnswer) },
  },
  {
    method: 'put', path: '/shops/{shopId}/mail-throttle', tag, role: 'admin',
    summary: 'Set the per-address mail throttle', params: shopParams, body: throttleBody,
    responses: { 200: ok('stored', throttleAnswer) },
  },
];
