import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { createGmoPgClient, type GmoPgClient } from '../../gmo-pg/client';
import { GmoPgApiError } from '../../gmo-pg/errors';
import { planCancel } from '../../gmo-pg/cancel-plan';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';

/** The GMO-PG emulator over HTTP: through our client, and through raw requests as other GMO clients send them. */
const SHOP_ID = 'tshop00001234';
const SHOP_PASS = 'pass1234';
const CARD = { cardNo: '4111111111111111', expire: '3012' };
const DAY = 86_400_000;

let sandbox: TestSandbox;
let client: GmoPgClient;
let base: string;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  base = `${sandbox.url}/gmo-pg/payment/`;
  client = createGmoPgClient({ baseUrl: base, shopId: SHOP_ID, shopPass: SHOP_PASS, siteId: 'tsite0001', sitePass: 'sitepass1', timeoutMs: 5000 });
});
afterAll(() => sandbox.stop());
beforeEach(async () => {
  await sandbox.control('POST', '/gmo-pg/_sandbox/reset');
  await sandbox.control('POST', '/gmo-pg/_sandbox/shops', { shopId: SHOP_ID, shopPass: SHOP_PASS });
});

const ctl = <T = unknown>(method: string, path: string, body?: unknown) => sandbox.control<T>(method, `/gmo-pg/_sandbox${path}`, body);
const caught = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as GmoPgApiError);
type Ledger = { entries: Array<{ operation: string; applied: boolean; effect: string }> };

/** A raw POST: the answer's status, Content-Type, bytes, and the bytes read as Windows-31J. */
async function raw(api: string, body: string | Buffer | FormData, contentType?: string, method = 'POST') {
  const res = await fetch(`${base}${api}`, {
    method, body: method === 'GET' ? undefined : body, headers: contentType ? { 'content-type': contentType } : {},
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, contentType: res.headers.get('content-type'), bytes, text: iconv.decode(bytes, 'Windows-31J') };
}
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** EntryTran + ExecTran with the test card. */
async function authorize(orderId: string, amount = 1000, jobCd: 'AUTH' | 'CAPTURE' = 'AUTH') {
  const keys = await client.entryTran({ orderId, jobCd, amount });
  const exec = await client.execTran({ ...keys, orderId, card: CARD });
  return { ...keys, exec };
}

test('EntryTran, ExecTran, AlterTran SALES and SearchTrade: the AUTH → SALES path with GMO-shaped ids', async () => {
  const keys = await client.entryTran({ orderId: 'ord-1', jobCd: 'AUTH', amount: 1000, tax: 80 });
  expect(keys.accessId).toMatch(/^[0-9a-f]{32}$/);
  expect(keys.accessPass).toMatch(/^[0-9a-f]{32}$/);
  expect(await client.searchTrade('ord-1')).toMatchObject({ status: 'UNPROCESSED', jobCd: 'AUTH', amount: 1000, tax: 80, itemCode: '0000990', ...keys });

  const exec = await client.execTran({ ...keys, orderId: 'ord-1', card: CARD });
  expect(exec).toMatchObject({ orderId: 'ord-1', forward: '2a99662', method: '1', payTimes: '' });
  expect(exec.tranId).toMatch(/^\d{28}$/);
  expect(exec.approve).toMatch(/^\d{7}$/);
  expect(exec.tranDate).toMatch(/^\d{14}$/);
  const md5 = createHash('md5').update(`ord-12a996621${exec.approve}${exec.tranId}${exec.tranDate}${SHOP_PASS}`).digest('hex');
  expect(exec.checkString).toBe(md5);
  expect(await client.searchTrade('ord-1')).toMatchObject({ status: 'AUTH', jobCd: 'AUTH', cardNo: '************1111', expire: '3012', tranId: exec.tranId });

  expect(await caught(client.alterTran({ ...keys, jobCd: 'SALES', amount: 999 }))).toMatchObject({ infos: ['E01060010'], retryable: false, stateUnknown: false });
  const sales = await client.alterTran({ ...keys, jobCd: 'SALES', amount: 1000 });
  expect(sales).toMatchObject({ ...keys, tranId: exec.tranId, approve: exec.approve, forward: '2a99662' }); // SALES keeps the auth's TranID
  expect(await client.searchTrade('ord-1')).toMatchObject({ status: 'SALES', jobCd: 'SALES', amount: 1000 });
  expect(await client.searchTrade('no-such-order')).toBeNull();
});

test('status machine: CAPTURE → VOID → re-auth; RETURN, RETURNX; SALES on SALES and ExecTran twice are refused', async () => {
  const a = await authorize('ord-2', 500, 'CAPTURE');
  expect((await client.searchTrade('ord-2'))?.status).toBe('CAPTURE');
  const voided = await client.alterTran({ ...a, jobCd: 'VOID' });
  expect(voided.tranId).not.toBe(a.exec.tranId);
  expect(await client.searchTrade('ord-2')).toMatchObject({ status: 'VOID', jobCd: 'VOID', amount: 500 });
  await client.alterTran({ ...a, jobCd: 'AUTH', amount: 700, method: '1' });
  expect(await client.searchTrade('ord-2')).toMatchObject({ status: 'AUTH', amount: 700 });
  await client.alterTran({ ...a, jobCd: 'RETURN' });
  expect((await client.searchTrade('ord-2'))?.status).toBe('RETURN');

  const b = await authorize('ord-3');
  await client.alterTran({ ...b, jobCd: 'SALES', amount: 1000 });
  expect(await caught(client.alterTran({ ...b, jobCd: 'SALES', amount: 1000 }))).toMatchObject({ infos: ['E11010001'], action: 'search-trade' });
  await client.alterTran({ ...b, jobCd: 'RETURNX' });
  expect((await client.searchTrade('ord-3'))?.status).toBe('RETURNX');
  expect(await caught(client.execTran({ ...b, orderId: 'ord-3', card: CARD }))).toMatchObject({ codes: ['E01', 'M01'], infos: ['E01050004', 'M01004014'] });

  const c = await client.entryTran({ orderId: 'ord-4', jobCd: 'AUTH', amount: 100 });
  expect(await caught(client.alterTran({ ...c, jobCd: 'VOID' }))).toMatchObject({ infos: ['E11010002'] });
});

test('ChangeTran: AUTH 100 → 1000 with a new TranID; a declined re-auth leaves the trade as it was', async () => {
  const a = await authorize('ord-5', 100);
  const changed = await client.changeTran({ ...a, jobCd: 'AUTH', amount: 1000 });
  expect(changed.tranId).not.toBe(a.exec.tranId);
  expect(await client.searchTrade('ord-5')).toMatchObject({ status: 'AUTH', amount: 1000, tranId: changed.tranId });
  const history = (await ctl<{ history: Array<{ jobCd: string }> }>('GET', `/trades/${SHOP_ID}/ord-5`)).history;
  expect(history.map((h) => h.jobCd)).toEqual(['AUTH', 'VOID', 'AUTH']); // GMO's two rows for one change

  expect(await caught(client.changeTran({ ...a, jobCd: 'CAPTURE', amount: 420_055 }))).toMatchObject({ codes: ['G55'], infos: ['42G550000'] });
  expect(await client.searchTrade('ord-5')).toMatchObject({ status: 'AUTH', amount: 1000, tranId: changed.tranId });
});

test('OrderID is unique per shop: a second EntryTran answers E01040010 and SearchTrade gives the first keys back', async () => {
  const keys = await client.entryTran({ orderId: 'ord-dup', jobCd: 'AUTH', amount: 100 });
  const err = await caught(client.entryTran({ orderId: 'ord-dup', jobCd: 'CAPTURE', amount: 200 }));
  expect(err).toBeInstanceOf(GmoPgApiError);
  expect(err).toMatchObject({ operation: 'EntryTran', codes: ['E01'], infos: ['E01040010'], retryable: false, stateUnknown: false, action: 'search-trade' });
  expect(await client.searchTrade('ord-dup')).toMatchObject({ ...keys, amount: 100, jobCd: 'AUTH' });
});

test('every field error is answered at once, joined with | in field order', async () => {
  const r = await raw('EntryTran.idPass', form({ ShopID: SHOP_ID, ShopPass: SHOP_PASS, OrderID: 'ord-6', JobCd: 'XXX', Amount: '12a' }), 'application/x-www-form-urlencoded');
  expect(r.status).toBe(200);
  expect(r.text).toBe('ErrCode=E01|E01&ErrInfo=E01050002|E01060006');

  const err = await caught(client.entryTran({ orderId: 'bad order!', jobCd: 'AUTH', amount: 10_000_000 }));
  expect(err.infos).toEqual(['E01040013', 'E01060005']);
  expect(err.meanings.map((m) => m.ja)).toEqual(['オーダーIDに半角英数字と”-”以外の文字が含まれています', '利用金額が最大桁数を超えています']);
  const none = await raw('EntryTran.idPass', '', 'application/x-www-form-urlencoded');
  expect(none.text).toBe('ErrCode=E01|E01|E01|E01|E01&ErrInfo=E01010001|E01020001|E01040001|E01050001|E01060001');
});

test('a wrong shop password is E01030002 on every shop API, and not worth a retry', async () => {
  const a = await authorize('ord-7');
  const wrong = createGmoPgClient({ baseUrl: base, shopId: SHOP_ID, shopPass: 'nope', timeoutMs: 5000 });
  for (const p of [
    wrong.entryTran({ orderId: 'ord-8', jobCd: 'AUTH', amount: 1 }),
    wrong.alterTran({ ...a, jobCd: 'VOID' }),
    wrong.changeTran({ ...a, jobCd: 'AUTH', amount: 5 }),
    wrong.searchTrade('ord-7'),
  ]) expect(await caught(p)).toMatchObject({ infos: ['E01030002'], retryable: false, action: 'config' });
  expect((await client.searchTrade('ord-7'))?.status).toBe('AUTH');
});

test('Shift_JIS on the wire: SJIS request bytes are read, the answer is Windows-31J bytes with the exact charset', async () => {
  const keys = await client.entryTran({ orderId: 'ord-sjis', jobCd: 'AUTH', amount: 300 });
  const sjis = (s: string) => [...iconv.encode(s, 'Windows-31J')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  const body = `AccessID=${keys.accessId}&AccessPass=${keys.accessPass}&OrderID=ord-sjis&Method=1&CardNo=${CARD.cardNo}&Expire=3012`
    + `&ClientField1=${sjis('テスト①～')}&ClientField2=${sjis('ｶﾅ')}&ClientFieldFlag=1&User=MODP-3.110.178&Version=178`; // the module's extras are ignored
  const r = await raw('ExecTran.idPass', body, 'application/x-www-form-urlencoded'); // no charset: not UTF-8, so Windows-31J
  expect(r.status).toBe(200);
  expect(r.contentType).toBe('text/plain;charset=Windows-31J');
  expect(r.bytes.includes(iconv.encode('ClientField1=テスト①～&ClientField2=ｶﾅ&', 'Windows-31J'))).toBe(true);
  expect(r.bytes.includes(Buffer.from('テスト', 'utf8'))).toBe(false);
  expect(r.text).toMatch(/^ACS=0&OrderID=ord-sjis&Forward=2a99662&Method=1&PayTimes=&Approve=\d{7}&TranID=\d{28}&TranDate=\d{14}&CheckString=[0-9a-f]{32}&ClientField1=/);
  expect((await client.searchTrade('ord-sjis'))?.clientFields).toEqual(['テスト①～', 'ｶﾅ', '']);

  // UTF-8 values are read as UTF-8; our client's Shift_JIS comes back intact too
  const k2 = await client.entryTran({ orderId: 'ord-utf8', jobCd: 'AUTH', amount: 300 });
  await raw('ExecTran.idPass', form({ ...{ AccessID: k2.accessId, AccessPass: k2.accessPass }, OrderID: 'ord-utf8', Method: '1', CardNo: CARD.cardNo, Expire: '3012', ClientField1: '日本語' }), 'application/x-www-form-urlencoded; charset=UTF-8');
  expect((await client.searchTrade('ord-utf8'))?.clientFields[0]).toBe('日本語');
  const k3 = await client.entryTran({ orderId: 'ord-sjis2', jobCd: 'AUTH', amount: 300 });
  const e3 = await client.execTran({ ...k3, orderId: 'ord-sjis2', card: CARD, clientFields: ['髙橋', undefined, 'x'] });
  expect(e3.clientFields).toEqual(['髙橋', '', 'x']);
});

test('raw (not percent-encoded) UTF-8 and Shift_JIS bytes are decoded in the declared charset, as the gateway does', async () => {
  // the bytes as some clients send them: ASCII keys, Japanese values unencoded
  const rawBody = (keys: { accessId: string; accessPass: string }, orderId: string, value: string, charset: 'UTF-8' | 'Windows-31J') => Buffer.concat([
    Buffer.from(`AccessID=${keys.accessId}&AccessPass=${keys.accessPass}&OrderID=${orderId}&Method=1&CardNo=${CARD.cardNo}&Expire=3012&ClientField1=`),
    iconv.encode(value, charset),
    Buffer.from('&ClientField2=x&ClientFieldFlag=1'),
  ]);
  const cases = [
    { orderId: 'ord-raw-u8', charset: 'UTF-8', contentType: 'application/x-www-form-urlencoded; charset=UTF-8', value: 'テスト髙橋～' },
    { orderId: 'ord-raw-u8n', charset: 'UTF-8', contentType: 'application/x-www-form-urlencoded', value: '日本語ｶﾅ' }, // no charset: valid UTF-8
    { orderId: 'ord-raw-sj', charset: 'Windows-31J', contentType: 'application/x-www-form-urlencoded; charset=Shift_JIS', value: 'テスト①～ｶﾅ' },
    { orderId: 'ord-raw-sjn', charset: 'Windows-31J', contentType: 'application/x-www-form-urlencoded', value: '髙橋ソ表' }, // no charset: not UTF-8
  ] as const;
  for (const c of cases) {
    const keys = await client.entryTran({ orderId: c.orderId, jobCd: 'AUTH', amount: 300 });
    const r = await raw('ExecTran.idPass', rawBody(keys, c.orderId, c.value, c.charset), c.contentType);
    // echoed in the answer (Windows-31J bytes) and stored
    expect([c.orderId, r.text]).toEqual([c.orderId, expect.stringContaining(`&ClientField1=${c.value}&ClientField2=x&`)]);
    expect([c.orderId, (await client.searchTrade(c.orderId))?.clientFields]).toEqual([c.orderId, [c.value, 'x', '']]);
  }
});

test('multipart/form-data (as gmopg/sdk-nodejs sends) is accepted', async () => {
  const fd = new FormData();
  for (const [k, v] of Object.entries({ ShopID: SHOP_ID, ShopPass: SHOP_PASS, OrderID: 'ord-mp', JobCd: 'CAPTURE', Amount: '1500' })) fd.append(k, v);
  const r = await raw('EntryTran.idPass', fd);
  expect(r.text).toMatch(/^AccessID=[0-9a-f]{32}&AccessPass=[0-9a-f]{32}$/);
  expect(await client.searchTrade('ord-mp')).toMatchObject({ status: 'UNPROCESSED', jobCd: 'CAPTURE', amount: 1500 });
});

test('POST only: GET is E31500014; an unknown API is E91099997; a JSON body is E00000003', async () => {
  const get = await raw(`SearchTrade.idPass?ShopID=${SHOP_ID}&ShopPass=${SHOP_PASS}&OrderID=x`, '', undefined, 'GET');
  expect(get).toMatchObject({ status: 200, contentType: 'text/plain;charset=Windows-31J', text: 'ErrCode=E31&ErrInfo=E31500014' });
  expect((await raw('Nope.idPass', 'a=b', 'application/x-www-form-urlencoded')).text).toBe('ErrCode=E91&ErrInfo=E91099997');
  expect((await raw('EntryTran.idPass', '{"ShopID":"x"}', 'application/json')).text).toBe('ErrCode=E00&ErrInfo=E00000003');
});

test('VOID twice: the first wins, the repeat answers E11010003 and changes nothing; the ledger shows it', async () => {
  const a = await authorize('ord-void');
  await client.alterTran({ ...a, jobCd: 'VOID' });
  const err = await caught(client.alterTran({ ...a, jobCd: 'VOID' }));
  expect(err).toMatchObject({ codes: ['E11'], infos: ['E11010003'], retryable: false, stateUnknown: false, action: 'search-trade' });
  const { entries } = await ctl<Ledger>('GET', '/ledger?orderId=ord-void');
  expect(entries.filter((e) => e.operation !== 'SearchTrade').map((e) => [e.operation, e.applied])).toEqual([
    ['EntryTran', true], ['ExecTran', true], ['AlterTran', true], ['AlterTran', false],
  ]);
  expect(entries[2]?.effect).toMatch(/^AUTH -> VOID/);
  expect(entries[3]?.effect).toBe('ErrInfo=E11010003');

  // two cancels at once: exactly one wins
  const b = await authorize('ord-void2');
  const both = await Promise.allSettled([client.alterTran({ ...b, jobCd: 'VOID' }), client.alterTran({ ...b, jobCd: 'RETURN' })]);
  expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  const lost = both.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  expect((lost?.reason as GmoPgApiError).infos).toEqual(['E11010003']);
  const applied = (await ctl<Ledger>('GET', '/ledger?orderId=ord-void2&operation=AlterTran')).entries.filter((e) => e.applied);
  expect(applied).toHaveLength(1);
});

test('a cancel in the GMO admin screen: our VOID then answers E11010003, SearchTrade shows VOID, the plan is "nothing to do"', async () => {
  const a = await authorize('ord-admin');
  await ctl('POST', `/trades/${SHOP_ID}/ord-admin/admin-cancel`, {});
  expect(await caught(client.alterTran({ ...a, jobCd: 'VOID' }))).toMatchObject({ infos: ['E11010003'] });
  const trade = await client.searchTrade('ord-admin');
  expect(trade).toMatchObject({ status: 'VOID', jobCd: 'VOID', amount: 1000 });
  expect(planCancel(trade!, new Date())).toEqual({ action: 'none', reason: 'already-canceled', status: 'VOID' });
  const { entries } = await ctl<Ledger>('GET', '/ledger?orderId=ord-admin&operation=admin.cancel');
  expect(entries).toEqual([expect.objectContaining({ applied: true, effect: 'AUTH -> VOID (GMO admin screen)' })]);
  await expect(ctl('POST', `/trades/${SHOP_ID}/ord-admin/admin-cancel`, {})).rejects.toThrow(/409/);
});

test('declines by magic amount keep the trade UNPROCESSED; ExecTran may be retried on the same AccessID', async () => {
  const keys = await client.entryTran({ orderId: 'ord-decl', jobCd: 'AUTH', amount: 420_002 });
  const err = await caught(client.execTran({ ...keys, orderId: 'ord-decl', card: CARD }));
  expect(err).toMatchObject({ codes: ['G02'], infos: ['42G020000'], retryable: false, stateUnknown: false, action: 'customer' });
  expect(err.meanings[0]?.en).toBe('issuer decline: insufficient funds');
  expect((await client.searchTrade('ord-decl'))?.status).toBe('UNPROCESSED');
  expect((await caught(client.execTran({ ...keys, orderId: 'ord-decl', card: { cardNo: CARD.cardNo, expire: '2001' } }))).infos).toEqual(['42G830000']);
  expect((await caught(client.execTran({ ...keys, orderId: 'ord-decl', card: { cardNo: '4111111111111112', expire: '3012' } }))).infos).toEqual(['42G650000']);
});

test('fault: a timeout after commit leaves the ExecTran applied; the error says state unknown; SearchTrade settles it', async () => {
  const keys = await client.entryTran({ orderId: 'ord-to', jobCd: 'AUTH', amount: 100 });
  await ctl('POST', '/faults', { operation: 'ExecTran', kind: 'timeout', afterEffect: true, delayMs: 10, times: 1 });
  const err = await caught(client.execTran({ ...keys, orderId: 'ord-to', card: CARD }));
  expect(err).toMatchObject({ retryable: true, stateUnknown: true });
  expect(['NETWORK', 'TIMEOUT']).toContain(err.code);
  expect((await client.searchTrade('ord-to'))?.status).toBe('AUTH');
  const { entries } = await ctl<Ledger>('GET', '/ledger?orderId=ord-to&operation=ExecTran');
  expect(entries.map((e) => e.applied)).toEqual([true]);
});

test('fault: scripted E90010001, E91020001 (after effect), 42C010000 and E92000001', async () => {
  const keys = await client.entryTran({ orderId: 'ord-f', jobCd: 'AUTH', amount: 100 });
  await ctl('POST', '/errors', { operation: 'ExecTran', errInfo: 'E90010001' });
  expect(await caught(client.execTran({ ...keys, orderId: 'ord-f', card: CARD }))).toMatchObject({ codes: ['E90'], infos: ['E90010001'], retryable: true, stateUnknown: true });
  await ctl('POST', '/errors', { operation: 'ExecTran', errInfo: '42C010000' });
  expect(await caught(client.execTran({ ...keys, orderId: 'ord-f', card: CARD }))).toMatchObject({ codes: ['C01'], infos: ['42C010000'], retryable: true, stateUnknown: true });
  expect((await client.searchTrade('ord-f'))?.status).toBe('UNPROCESSED');
  await client.execTran({ ...keys, orderId: 'ord-f', card: CARD }); // the retry on the same AccessID

  await ctl('POST', '/errors', { operation: 'AlterTran', errInfo: 'E91020001', afterEffect: true });
  expect(await caught(client.alterTran({ ...keys, jobCd: 'VOID' }))).toMatchObject({ infos: ['E91020001'], retryable: true, stateUnknown: true });
  expect((await client.searchTrade('ord-f'))?.status).toBe('VOID'); // it landed

  await ctl('POST', '/errors', { operation: '*', errInfo: 'E92000001', times: 2 });
  expect((await ctl<{ errors: unknown[] }>('GET', '/errors')).errors).toHaveLength(1);
  expect(await caught(client.entryTran({ orderId: 'ord-g', jobCd: 'AUTH', amount: 1 }))).toMatchObject({ infos: ['E92000001'], retryable: true, stateUnknown: false, action: 'backoff-retry' });
  await caught(client.entryTran({ orderId: 'ord-g', jobCd: 'AUTH', amount: 1 }));
  await client.entryTran({ orderId: 'ord-g', jobCd: 'AUTH', amount: 1 }); // the rule is spent: nothing was applied before

  const ledger = await ctl<Ledger>('GET', '/ledger?orderId=ord-f');
  expect(ledger.entries.filter((e) => e.operation !== 'SearchTrade').map((e) => [e.operation, e.applied, e.effect.split(' ')[0]])).toEqual([
    ['EntryTran', true, 'UNPROCESSED'], ['ExecTran', false, 'scripted'], ['ExecTran', false, 'scripted'], ['ExecTran', true, 'UNPROCESSED'], ['AlterTran', true, 'AUTH'],
  ]);
});

test('fault: a gateway 503 is retryable and changes nothing', async () => {
  await ctl('POST', '/faults', { operation: 'EntryTran', kind: 'error', status: 503, times: 1 });
  expect(await caught(client.entryTran({ orderId: 'ord-503', jobCd: 'AUTH', amount: 1 }))).toMatchObject({ httpStatus: 503, retryable: true, code: 'HTTP503' });
  expect(await client.searchTrade('ord-503')).toBeNull();
});

test('tokens from the control plane are single-use and expire; stored cards pay by SiteID/MemberID/CardSeq', async () => {
  const { token } = await ctl<{ token: string }>('POST', '/tokens', { cardNo: CARD.cardNo, expire: '3012' });
  const k1 = await client.entryTran({ orderId: 'ord-tok', jobCd: 'AUTH', amount: 100 });
  expect(await caught(client.execTran({ ...k1, orderId: 'ord-tok', card: { token: 'not-a-token' } }))).toMatchObject({ codes: ['EX1'], infos: ['EX1000304'], action: 'new-token' });
  await client.execTran({ ...k1, orderId: 'ord-tok', card: { token } });
  const k2 = await client.entryTran({ orderId: 'ord-tok2', jobCd: 'AUTH', amount: 100 });
  expect((await caught(client.execTran({ ...k2, orderId: 'ord-tok2', card: { token } }))).infos).toEqual(['EX1000302']);
  const late = await ctl<{ token: string }>('POST', '/tokens', {});
  await ctl('POST', '/clock', { advanceMs: 31 * 60_000 });
  expect((await caught(client.execTran({ ...k2, orderId: 'ord-tok2', card: { token: late.token } }))).infos).toEqual(['EX1000303']);

  await ctl('POST', '/sites', { siteId: 'tsite0001', sitePass: 'sitepass1' });
  await ctl('POST', '/sites/tsite0001/members', { memberId: 'member-1', cards: [{ cardNo: '4111111111111111', expire: '3105' }] });
  await client.execTran({ ...k2, orderId: 'ord-tok2', card: { memberId: 'member-1', cardSeq: 0 } });
  expect(await client.searchTrade('ord-tok2')).toMatchObject({ status: 'AUTH', siteId: 'tsite0001', memberId: 'member-1', expire: '3105' });
  const k3 = await client.entryTran({ orderId: 'ord-tok3', jobCd: 'AUTH', amount: 100 });
  expect((await caught(client.execTran({ ...k3, orderId: 'ord-tok3', card: { memberId: 'member-2', cardSeq: 0 } }))).infos).toEqual(['E01390002']);
  const otherSite = createGmoPgClient({ baseUrl: base, shopId: SHOP_ID, shopPass: SHOP_PASS, siteId: 'tsite0001', sitePass: 'wrong', timeoutMs: 5000 });
  expect((await caught(otherSite.execTran({ ...k3, orderId: 'ord-tok3', card: { memberId: 'member-1', cardSeq: 0 } }))).infos).toEqual(['E01210002']);

  await ctl('POST', '/shops', { shopId: SHOP_ID, shopPass: SHOP_PASS, cardNoAllowed: false });
  expect((await caught(client.execTran({ ...k3, orderId: 'ord-tok3', card: CARD }))).infos).toEqual(['E61040001']);
});

test('dates: SALES after the auth validity is E01420010; cancels past 180 days are E11010010; the strict window splits VOID/RETURN/RETURNX', async () => {
  const a = await authorize('ord-old');
  await ctl('POST', '/clock', { advanceMs: 91 * DAY });
  expect((await caught(client.alterTran({ ...a, jobCd: 'SALES', amount: 1000 }))).infos).toEqual(['E01420010']);
  await ctl('POST', '/clock', { advanceMs: 90 * DAY });
  expect((await caught(client.alterTran({ ...a, jobCd: 'RETURN' }))).infos).toEqual(['E11010010']);

  await ctl('POST', '/clock', { now: '2026-11-10T03:00:00Z' }); // 12:00 JST
  await ctl('POST', '/settings', { strictCancelWindow: true });
  const b = await authorize('ord-strict', 100, 'CAPTURE');
  expect((await caught(client.alterTran({ ...b, jobCd: 'RETURN' }))).infos).toEqual(['E01050004']);
  await ctl('POST', '/clock', { now: '2026-11-10T15:00:00Z' }); // 00:00 JST the next day
  expect((await caught(client.alterTran({ ...b, jobCd: 'VOID' }))).infos).toEqual(['E01050004']);
  await client.alterTran({ ...b, jobCd: 'RETURN' });
  expect((await client.searchTrade('ord-strict'))?.status).toBe('RETURN');
  expect(await ctl('GET', '/settings')).toMatchObject({ strictCancelWindow: true, repeatErrors: { cancelOnCanceled: ['E11010003'] } });
});

test('repeat answers are settings; control-plane input errors are 400', async () => {
  await ctl('POST', '/settings', { repeatErrors: { cancelOnCanceled: ['E01050004', 'M01004014'] } });
  const a = await authorize('ord-rep');
  await client.alterTran({ ...a, jobCd: 'VOID' });
  expect((await caught(client.alterTran({ ...a, jobCd: 'VOID' }))).infos).toEqual(['E01050004', 'M01004014']);
  await expect(ctl('POST', '/shops', { shopId: 'x', shopPass: 'way-too-long-pass' })).rejects.toThrow(/400/);
  await expect(ctl('POST', '/errors', { errInfo: 'nope' })).rejects.toThrow(/400/);
  const listing = await sandbox.control<{ emulators: Record<string, unknown> }>('GET', '/');
  expect(listing.emulators['gmo-pg']).toMatchObject({ control: '/gmo-pg/_sandbox' });
});
