import { defaultPayloadConverter } from '@temporalio/common';
import { LINK_STATUS } from '../../workflows/au-pay-link-status';
import { auPayShipmentWorkflowId } from '../../workflows/workflow-ids';
import { startApiWorld, type ApiWorld } from '../support/api-world';
import { API_TOKEN, callApi } from '../support/test-api';
import { SHOP_ID } from '../support/au-pay-fixtures';
import { auPayOrderInShipError } from '../support/au-pay-api-fixtures';
import { until } from '../support/until';

const OTHER_SHOP = 'other-shop';
let world: ApiWorld;

beforeAll(async () => {
  world = await startApiWorld('operators-test', { knownShops: [SHOP_ID, OTHER_SHOP] });
}, 120_000);
afterAll(async () => world?.stop());

const call = <B = Record<string, unknown>>(method: string, path: string, body?: unknown, token: string | null = API_TOKEN) =>
  callApi<B>(`${world.api}${path}`, method, body, token);

/** An operator and one token, made through the API by the bootstrap admin. */
async function operatorWithToken(name: string, role: string, shops: string[] | null = null): Promise<{ id: string; token: string; tokenId: string }> {
  const created = await call<{ id: string }>('POST', '/operators', { name, role, shops });
  expect(created.status).toBe(201);
  const token = await call<{ id: string; token: string }>('POST', `/operators/${created.body.id}/tokens`, { label: 'laptop' });
  expect(token.status).toBe(201);
  expect(token.body.token).toMatch(/^rk_[A-Za-z0-9_-]{43}$/);
  return { id: created.body.id, token: token.body.token, tokenId: token.body.id };
}

let n = 0;
async function orderInShipError(): Promise<string> {
  n += 1;
  const orderId = `OPS-${n}`;
  await auPayOrderInShipError(world.api, SHOP_ID, orderId, String(800000000 + n));
  return orderId;
}

describe('roles', () => {
  test('a viewer reads but its action is 403 with the role it needs; an operator acts; settings need an admin', async () => {
    const viewer = await operatorWithToken('yamada-viewer', 'viewer');
    const operator = await operatorWithToken('suzuki-operator', 'operator');
    const orderId = await orderInShipError();
    const path = `/shops/${SHOP_ID}/au-pay/orders/${orderId}/link-status`;

    expect((await call('GET', `/shops/${SHOP_ID}/au-pay/orders/${orderId}`, undefined, viewer.token)).status).toBe(200);
    const refused = await call('POST', path, { status: LINK_STATUS.blank }, viewer.token);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ needs: 'operator', role: 'viewer', error: expect.stringContaining('operator role') });

    const throttle = { windowMinutes: 30, threshold: 5 };
    expect((await call('PUT', `/shops/${SHOP_ID}/mail-throttle`, throttle, operator.token)).body).toMatchObject({ needs: 'admin' });
    expect((await call('PUT', `/shops/${SHOP_ID}/mail-throttle`, throttle, operator.token)).status).toBe(403);
    expect((await call('GET', '/operators', undefined, operator.token)).status).toBe(403);

    const applied = await call('POST', path, { status: LINK_STATUS.blank }, operator.token);
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ previous: LINK_STATUS.shipError, status: LINK_STATUS.blank });
    expect((await call<{ name: string; role: string }>('GET', '/operators/me', undefined, operator.token)).body).toMatchObject({ name: 'suzuki-operator', role: 'operator' });
  }, 60_000);

  test('an operator of one shop finds every other shop unknown (404), as a deployment that does not serve it', async () => {
    const other = await operatorWithToken('tanaka-other-shop', 'operator', [OTHER_SHOP]);
    expect((await call('GET', `/shops/${OTHER_SHOP}/au-pay/history`, undefined, other.token)).status).toBe(200);
    const hidden = await call('GET', `/shops/${SHOP_ID}/au-pay/history`, undefined, other.token);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error).toBe(`unknown shop ${SHOP_ID}`);
    // the bootstrap admin sees both
    expect((await call('GET', `/shops/${SHOP_ID}/au-pay/history`)).status).toBe(200);
  }, 30_000);
});

describe('tokens', () => {
  test('a token is stored only as its hash, notes its last use, and stops working when revoked or its operator is disabled', async () => {
    const op = await operatorWithToken('sato-tokens', 'operator');
    const { rows } = await world.db.pool.query<{ token_hash: string }>(`SELECT token_hash FROM operator_tokens WHERE id = $1`, [op.tokenId]);
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await world.db.pool.query(`SELECT * FROM operator_tokens`).then((r) => r.rows))).not.toContain(op.token);

    expect((await call('GET', `/shops/${SHOP_ID}/au-pay/history`, undefined, op.token)).status).toBe(200);
    const listed = await call<{ tokens: Array<{ id: string; lastUsedAt: string | null; token?: string }> }>('GET', `/operators/${op.id}`);
    const mine = listed.body.tokens.find((t) => t.id === op.tokenId)!;
    expect(mine.lastUsedAt).not.toBeNull();
    expect(mine.token).toBeUndefined();

    const revoked = await call('DELETE', `/operators/${op.id}/tokens/${op.tokenId}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    expect((await call('GET', `/shops/${SHOP_ID}/au-pay/history`, undefined, op.token)).status).toBe(401);

    const second = await call<{ token: string }>('POST', `/operators/${op.id}/tokens`, {});
    expect((await call('GET', `/shops/${SHOP_ID}/au-pay/history`, undefined, second.body.token)).status).toBe(200);
    expect((await call('PATCH', `/operators/${op.id}`, { disabled: true })).status).toBe(200);
    expect((await call('GET', `/shops/${SHOP_ID}/au-pay/history`, undefined, second.body.token)).status).toBe(401);
    expect((await call('DELETE', `/operators/${op.id}`)).status).toBe(204);
    expect((await call('GET', `/operators/${op.id}`)).status).toBe(404);
  }, 30_000);

  test('bad operator input is a 400 with the field; a taken name is a 409', async () => {
    const bad = await call<{ issues: Array<{ path: string }> }>('POST', '/operators', { name: '', role: 'boss' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('role');
    expect((await call('POST', '/operators', { name: 'API_TOKEN', role: 'viewer' })).status).toBe(400);
    await call('POST', '/operators', { name: 'twice', role: 'viewer' });
    expect((await call('POST', '/operators', { name: 'twice', role: 'viewer' })).status).toBe(409);
    expect((await call('PATCH', '/operators/op_nonexistent1', { role: 'admin' })).status).toBe(404);
  }, 30_000);

  test('operator and token changes are audited deployment-wide, readable at /audit by an admin of every shop only', async () => {
    const shopAdmin = await operatorWithToken('ito-shop-admin', 'admin', [SHOP_ID]);
    type Entry = { action: string; outcome: string; shopId: string | null; input: Record<string, unknown> };
    const all = await call<{ entries: Entry[] }>('GET', '/audit?operator=API_TOKEN&limit=500');
    expect(all.status).toBe(200);
    expect(all.body.entries).toContainEqual(expect.objectContaining({ action: 'operator.create', outcome: 'applied', shopId: null, input: expect.objectContaining({ name: 'ito-shop-admin' }) }));
    expect(all.body.entries).toContainEqual(expect.objectContaining({ action: 'token.create', outcome: 'applied', input: { operatorId: shopAdmin.id, label: 'laptop' } }));
    expect(all.body.entries).toContainEqual(expect.objectContaining({ action: 'operator.create', outcome: 'refused', input: expect.objectContaining({ name: 'twice' }) }));
    // a shop's admin sets its shop's settings, but neither reads the whole audit nor manages operators
    expect((await call('PUT', `/shops/${SHOP_ID}/mail-throttle`, { windowMinutes: 60, threshold: 20 }, shopAdmin.token)).status).toBe(200);
    expect((await call('GET', '/audit', undefined, shopAdmin.token)).status).toBe(403);
    expect((await call('POST', '/operators', { name: 'escalated', role: 'admin' }, shopAdmin.token)).status).toBe(403);
  }, 30_000);
});

describe('the audit trail', () => {
  test('each kind of change writes a row with who, what and how it ended; the workflow history shows who acted', async () => {
    const op = await operatorWithToken('kato-audit', 'operator');
    const orderId = await orderInShipError();
    const path = `/shops/${SHOP_ID}/au-pay/orders/${orderId}/link-status`;
    expect((await call('POST', path, { status: LINK_STATUS.blank }, op.token)).status).toBe(200);
    // the reset has run the chain again, back to its error: a second error in the order's call history, not the first one still showing
    await until(async () => {
      const order = (await call<{ linkStatus: string; history: Array<{ result: string }> }>('GET', `/shops/${SHOP_ID}/au-pay/orders/${orderId}`)).body;
      return order.linkStatus === LINK_STATUS.shipError && order.history.filter((h) => h.result === 'エラー').length === 2;
    }, 30_000);
    const refusedAnswer = await call('POST', path, { status: LINK_STATUS.completed }, op.token);
    expect(refusedAnswer.status).toBe(200); // 受注完了 by hand from an error is allowed
    const again = await call('POST', path, { status: LINK_STATUS.blank }, op.token);
    expect(again.status).toBe(409);
    expect((await call('PUT', `/shops/${SHOP_ID}/mail-throttle`, { windowMinutes: 15, threshold: 3 })).status).toBe(200);

    type Entry = { operator: string; operatorId: string; action: string; orderId: string | null; process: string | null; input: unknown; outcome: string; reason: string | null };
    const orderAudit = await call<{ entries: Entry[] }>('GET', `/shops/${SHOP_ID}/audit?orderId=${orderId}`);
    expect(orderAudit.status).toBe(200);
    // newest first
    expect(orderAudit.body.entries.map((e) => [e.action, e.outcome, e.input])).toEqual([
      ['au-pay.link-status', 'refused', { status: LINK_STATUS.blank }],
      ['au-pay.link-status', 'applied', { status: LINK_STATUS.completed }],
      ['au-pay.link-status', 'applied', { status: LINK_STATUS.blank }],
    ]);
    expect(orderAudit.body.entries[0]).toMatchObject({ operator: 'kato-audit', operatorId: op.id, process: 'au-pay', reason: again.body.error });

    const settings = await call<{ entries: Entry[] }>('GET', `/shops/${SHOP_ID}/audit?action=mail-throttle.set`);
    expect(settings.body.entries[0]).toMatchObject({ operator: 'API_TOKEN', outcome: 'applied', input: { windowMinutes: 15, threshold: 3 } });
    const byOperator = await call<{ entries: Entry[] }>('GET', `/shops/${SHOP_ID}/audit?operator=kato-audit&limit=2`);
    expect(byOperator.body.entries).toHaveLength(2);
    const next = await call<{ entries: Entry[]; nextCursor: string | null }>('GET', `/shops/${SHOP_ID}/audit?operator=kato-audit&limit=2&cursor=${(byOperator.body as unknown as { nextCursor: string }).nextCursor}`);
    expect(next.body.entries).toHaveLength(1);
    expect((await call('GET', `/shops/${SHOP_ID}/audit?since=yesterday`)).status).toBe(400);

    // the update's last argument names the operator, in the workflow's own history
    const history = await world.env.client.workflow.getHandle(auPayShipmentWorkflowId(SHOP_ID, orderId)).fetchHistory();
    const updates = (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)
      .map((e) => (e.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.input!.args!.payloads ?? []).map((p) => defaultPayloadConverter.fromPayload(p)));
    expect(updates).toContainEqual([LINK_STATUS.completed, { operator: 'kato-audit', operatorId: op.id }]);
  }, 60_000);
});
