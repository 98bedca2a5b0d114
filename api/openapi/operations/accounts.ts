import type { ApiOperation } from '../operation';
import { fail, ok, shopParams } from '../common';
import { accountAnswer, accountBody, accountsAnswer, providerParams } from '../../accounts/schemas';

const tag = 'Provider accounts';
const unsealed = fail('provider accounts are not configured here (ACCOUNTS_KEYS)');

export const ACCOUNT_OPERATIONS: ApiOperation[] = [
  {
    method: 'get', path: '/shops/{shopId}/accounts', tag, role: 'viewer',
    summary: "The shop's provider accounts, secrets masked (set or not, last 4)", params: shopParams,
    responses: { 200: ok('the accounts', accountsAnswer), 503: unsealed },
  },
  {
    method: 'get', path: '/shops/{shopId}/accounts/{provider}', tag, role: 'viewer',
    summary: "One provider's account, secrets masked", params: providerParams,
    responses: { 200: ok('the account', accountAnswer), 404: fail('no such provider, or no account with it'), 503: unsealed },
  },
  {
    method: 'put', path: '/shops/{shopId}/accounts/{provider}', tag, role: 'admin',
    summary: "Set or replace one provider's account (the body is that provider's fields)", params: providerParams, body: accountBody,
    responses: { 200: ok('stored; secrets masked', accountAnswer), 404: fail('no such provider'), 503: unsealed },
  },
];
