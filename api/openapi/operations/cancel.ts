import type { ApiOperation } from '../operation';
import { fail, ok, shopParams } from '../common';
import {
  cancelAnswer, cancelRequestBody, cancelStartAnswer, decisionAnswer, decisionBody, methodParams, orderParams, paymentMethodAnswer, paymentMethodBody,
  paymentMethodsAnswer,
} from '../../cancel/schemas';

const tag = 'Cancellations';

export const CANCEL_OPERATIONS: ApiOperation[] = [
  {
    method: 'get', path: '/shops/{shopId}/cancellations/payment-methods', tag, role: 'viewer',
    summary: "The payment methods' cancel settings (決済方法)", params: shopParams,
    responses: { 200: ok('the settings', paymentMethodsAnswer) },
  },
  {
    method: 'put', path: '/shops/{shopId}/cancellations/payment-methods/{method}', tag, role: 'admin',
    summary: "Set a payment method's provider and flags", params: methodParams, body: paymentMethodBody,
    responses: { 200: ok('stored', paymentMethodAnswer) },
  },
  {
    method: 'post', path: '/shops/{shopId}/cancellations', tag, role: 'operator',
    summary: 'Request a cancel (shop admin or buyer: the same saga; a repeat is harmless)', params: shopParams, body: cancelRequestBody,
    responses: { 200: ok('already canceled', cancelStartAnswer), 202: ok('the cancel runs', cancelStartAnswer) },
  },
  {
    method: 'get', path: '/shops/{shopId}/cancellations/{orderId}', tag, role: 'viewer',
    summary: "An order's cancel", params: orderParams,
    responses: { 200: ok('the cancel', cancelAnswer), 404: fail('no cancel for this order') },
  },
  {
    method: 'post', path: '/shops/{shopId}/cancellations/{orderId}/decision', tag, role: 'operator',
    summary: "The operator's choice after a failed provider cancel", params: orderParams, body: decisionBody,
    responses: { 200: ok("applied: the cancel's state", decisionAnswer), 404: fail('no cancel for this order'), 409: fail("refused: the workflow's reason, or finished") },
  },
];
