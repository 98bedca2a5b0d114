import type { ApiOperation } from '../operation';
import { fail, ok } from '../common';
import {
  actorAnswer, idParams, operatorAnswer, operatorBody, operatorChange, operatorsAnswer, operatorWithTokensAnswer, tokenAnswer, tokenBody,
  tokenCreatedAnswer, tokenParams,
} from '../../operators/schemas';

const tag = 'Operators';
const everyShop = 'Only an admin of every shop (shops: null) may call it.';
const noOperator = fail('no such operator');

export const OPERATOR_OPERATIONS: ApiOperation[] = [
  {
    method: 'get', path: '/operators/me', tag, role: 'viewer', summary: 'Who the token belongs to: name, role and shops',
    responses: { 200: ok('the caller', actorAnswer) },
  },
  {
    method: 'post', path: '/operators', tag, role: 'admin', description: everyShop, summary: 'Add an operator', body: operatorBody,
    responses: { 201: ok('created', operatorAnswer), 409: fail('the name is taken') },
  },
  {
    method: 'get', path: '/operators', tag, role: 'admin', description: everyShop, summary: 'Every operator',
    responses: { 200: ok('the operators', operatorsAnswer) },
  },
  {
    method: 'get', path: '/operators/{id}', tag, role: 'admin', description: everyShop, summary: 'An operator and their tokens', params: idParams,
    responses: { 200: ok('the operator', operatorWithTokensAnswer), 404: noOperator },
  },
  {
    method: 'patch', path: '/operators/{id}', tag, role: 'admin', description: everyShop, summary: "Change an operator's role, shops or disabled",
    params: idParams, body: operatorChange,
    responses: { 200: ok('changed', operatorAnswer), 404: noOperator },
  },
  {
    method: 'delete', path: '/operators/{id}', tag, role: 'admin', description: everyShop, summary: 'Remove an operator', params: idParams,
    responses: { 204: ok('removed'), 404: noOperator },
  },
  {
    method: 'post', path: '/operators/{id}/tokens', tag, role: 'admin', description: `${everyShop} The token is shown in this answer only.`,
    summary: 'Issue a token for an operator', params: idParams, body: tokenBody,
    responses: { 201: ok('issued', tokenCreatedAnswer), 404: noOperator },
  },
  {
    method: 'delete', path: '/operators/{id}/tokens/{tokenId}', tag, role: 'admin', description: everyShop, summary: 'Revoke a token', params: tokenParams,
    responses: { 200: ok('revoked', tokenAnswer), 404: fail('no such token of this operator') },
  },
];
