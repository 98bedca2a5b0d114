import type { ApiOperation } from '../operation';
import { fail, ok, shopParams } from '../common';
import type { z } from 'zod';
import {
  blackFlagBody, manualReviewBody, opluxOrderAnswer, opluxOrderParams, orderCompletedBody, relinkAnswer, reviewActionAnswer, reviewStartAnswer,
} from '../../oplux/schemas';

const tag = 'O-PLUX';
const acted = (answer: z.ZodType) => ({
  202: ok('applied', answer), 404: fail('renkei never saw the order'), 409: fail("refused: the workflow's reason, or finished"),
});

export const OPLUX_OPERATIONS: ApiOperation[] = [
  {
    method: 'post', path: '/shops/{shopId}/oplux/orders', tag, role: 'operator',
    summary: 'An order completed at the shop: starts its fraud review (a corrected report registers again after 審査エラー)',
    params: shopParams, body: orderCompletedBody,
    responses: {
      200: ok('already under review, or finished: the repeat changes nothing', reviewStartAnswer), 202: ok('review started', reviewStartAnswer),
      409: fail('reported before with other data'),
    },
  },
  {
    method: 'get', path: '/shops/{shopId}/oplux/orders/{orderId}', tag, role: 'viewer',
    summary: "An order's fraud review", params: opluxOrderParams,
    responses: { 200: ok('the review', opluxOrderAnswer), 404: fail('unknown order') },
  },
  {
    method: 'post', path: '/shops/{shopId}/oplux/orders/{orderId}/manual-review', tag, role: 'operator',
    summary: '目視審査: the manual review result (10/OK, 20/NG, 30/HOLD)', params: opluxOrderParams, body: manualReviewBody, responses: acted(reviewActionAnswer),
  },
  {
    method: 'post', path: '/shops/{shopId}/oplux/orders/{orderId}/black-flag', tag, role: 'operator',
    summary: 'O-PLUXブラックフラグ', params: opluxOrderParams, body: blackFlagBody, responses: acted(reviewActionAnswer),
  },
  {
    method: 'post', path: '/shops/{shopId}/oplux/orders/{orderId}/relink', tag, role: 'operator',
    summary: '手動再連携: link the order to O-PLUX again', params: opluxOrderParams, responses: acted(relinkAnswer),
  },
];
