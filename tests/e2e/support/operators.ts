import { callApi } from '../../support/test-api';

export interface SignedOperator { name: string; token: string }

/** An operator of every shop with the role, and a token for it, made through the API with the bootstrap token. */
export async function makeOperator(api: string, name: string, role: 'viewer' | 'operator' | 'admin'): Promise<SignedOperator> {
  const created = await callApi<{ id: string }>(`${api}/operators`, 'POST', { name, role, shops: null });
  if (created.status !== 201) throw new Error(`operator ${name}: ${created.status} ${created.text}`);
  const token = await callApi<{ token: string }>(`${api}/operators/${created.body.id}/tokens`, 'POST', { label: 'e2e' });
  if (token.status !== 201) throw new Error(`token for ${name}: ${token.status} ${token.text}`);
  return { name, token: token.body.token };
}
