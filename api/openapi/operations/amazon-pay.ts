import type { ApiOperation } from '../operation';
import type { z } from 'zod';
import { fail, ok, shopParams } from '../common';
import {
  amazonOrderParams, amazonPayOrderAnswer, authorizationAnswer, authorizationBody, childActionAnswer, childParams, closeBody, ipnAnswer, ipnBody,
  parentParams, planChangeBody, recurringBody, recurringParentAnswer, recurringStartAnswer, recurringViewAnswer, shippedAnswer, shippedBody,
  skipNextAnswer,
} from '../../amazon-pay/schemas';

const tag = 'Amazon Pay';
const acted = (answer: z.ZodType) => ({
  200: ok('applied', answer), 404: fail('unknown recurring parent'), 409: fail("refused: the workflow's reason, or finished"),
});

export const AMAZON_PAY_OPERATIONS: ApiOperation[] = [
  {
    method: 'post', path: '/shops/{shopId}/amazon-pay/authorizations', tag, role: 'operator',
    summary: 'Start the async-authorization review of an order (非同期オーソリ)', params: shopParams, body: authorizationBody,
    responses: {
      200: ok('already under review, or finished: the repeat changes nothing', authorizationAnswer), 202: ok('review started', authorizationAnswer),
      409: fail('already under review with another charge permission or amount'),
    },
  },
  {
    method: 'get', path: '/shops/{shopId}/amazon-pay/orders/{orderId}', tag, role: 'viewer',
    summary: "An order's review and charge", params: amazonOrderParams,
    responses: { 200: ok('the order', amazonPayOrderAnswer), 404: fail('unknown order') },
  },
  {
    method: 'post', path: '/shops/{shopId}/amazon-pay/orders/{orderId}/shipped', tag, role: 'operator',
    summary: 'The order shipped: capture its charge (all of it, or amountJpy)', params: amazonOrderParams, body: shippedBody,
    responses: {
      200: ok('already captured', shippedAnswer), 202: ok('capturing', shippedAnswer), 404: fail('unknown order'), 409: fail('not capturable (the reason)'),
    },
  },
  {
    method: 'post', path: '/shops/{shopId}/amazon-pay/recurring', tag: 'Amazon Pay recurring', role: 'operator',
    summary: 'A recurring parent order (定期親受注) for a Recurring ChargePermission', params: shopParams, body: recurringBody,
    responses: {
      200: ok('already running, or ended', recurringStartAnswer), 202: ok('started', recurringStartAnswer),
      409: fail('started before with another permission or plan'), 422: fail('the plan is refused (the reason)'),
    },
  },
  {
    method: 'get', path: '/shops/{shopId}/amazon-pay/recurring/{parentOrderId}', tag: 'Amazon Pay recurring', role: 'viewer',
    summary: 'A recurring parent, its live view and its children', params: parentParams,
    responses: { 200: ok('the parent', recurringParentAnswer), 404: fail('unknown recurring parent') },
  },
  {
    method: 'post', path: '/shops/{shopId}/amazon-pay/recurring/{parentOrderId}/skip-next', tag: 'Amazon Pay recurring', role: 'operator',
    summary: 'Skip the next child charge', params: parentParams, responses: acted(skipNextAnswer),
  },
  {
    method: 'post', path: '/shops/{shopId}/amazon-pay/recurring/{parentOrderId}/plan', tag: 'Amazon Pay recurring', role: 'operator',
    summary: "Change the plan's amount or interval", params: parentParams, body: planChangeBody, responses: acted(recurringViewAnswer),
  },
  {
    method: 'post', path: '/shops/{shopId}/amazon-pay/recurring/{parentOrderId}/children/{cycle}/cancel', tag: 'Amazon Pay recurring', role: 'operator',
    summary: 'Cancel one child (cycle)', params: childParams, responses: acted(childActionAnswer),
  },
  {
    method: 'post', path: '/shops/{shopId}/amazon-pay/recurring/{parentOrderId}/children/{cycle}/shipped', tag: 'Amazon Pay recurring', role: 'operator',
    summary: 'One child (cycle) shipped', params: childParams, responses: acted(childActionAnswer),
  },
  {
    method: 'post', path: '/shops/{shopId}/amazon-pay/recurring/{parentOrderId}/close', tag: 'Amazon Pay recurring', role: 'operator',
    summary: 'Close the recurring parent', params: parentParams, body: closeBody, responses: acted(recurringViewAnswer),
  },
  {
    method: 'post', path: '/shops/{shopId}/amazon-pay/ipn', tag,
    summary: "Amazon Pay's IPNs (SNS HTTP POSTs), authenticated by the SNS signature, not by the operator token",
    params: shopParams, body: ipnBody, bodyMediaType: 'text/plain',
    responses: {
      200: ok('taken in (routed), or acknowledged with nothing to do (ignored)', ipnAnswer),
      400: fail('not a valid SNS message or Amazon Pay notification'), 403: fail('rejected: signature, topic or merchant'),
      404: fail('unknown shop'), 413: fail('body is too large'), 503: fail('not taken in now: the sender retries'),
    },
  },
];
