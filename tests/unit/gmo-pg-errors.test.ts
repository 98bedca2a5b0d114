import { describeGmoError } from '../../gmo-pg/error-codes';
import { GmoPgApiError } from '../../gmo-pg/errors';

/** Every §4 code family: retryable (the same call can succeed later) and stateUnknown (SearchTrade first). */
test.each([
  // info, retryable, stateUnknown, action
  ['E00000003', false, false, 'fix-request'],
  ['E31500014', false, false, 'fix-request'],
  ['E01010001', false, false, 'config'],
  ['E01990001', false, false, 'fix-request'], // an unlisted "required" code
  ['E01030002', false, false, 'config'],
  ['E01040010', false, false, 'search-trade'],
  ['E01050004', false, false, 'search-trade'],
  ['E01060010', false, false, 'use-trade-amount'],
  ['E01110002', false, false, 'fix-request'],
  ['E01410010', false, false, 'manual'],
  ['E01420010', false, false, 'reauth'],
  ['E11010001', false, false, 'search-trade'],
  ['E11010002', false, false, 'search-trade'],
  ['E11010003', false, false, 'search-trade'],
  ['E11010010', false, false, 'manual'],
  ['E11010099', false, false, 'search-trade'],
  ['E11010999', false, false, 'search-trade'],
  ['E21010201', false, false, 'customer'],
  ['E41170002', false, false, 'customer'],
  ['E61040001', false, false, 'config'],
  ['E82010001', true, false, 'search-trade'],
  ['E90010001', true, true, 'search-then-retry'],
  ['E91020001', true, true, 'search-then-retry'],
  ['E91099996', true, true, 'search-then-retry'],
  ['E92000001', true, false, 'backoff-retry'],
  ['E92000002', true, false, 'backoff-retry'],
  ['EX1000301', false, false, 'new-token'],
  ['EX1000302', false, false, 'new-token'],
  ['EX1000303', false, false, 'new-token'],
  ['EX1000304', false, false, 'new-token'],
  ['42C010000', true, true, 'search-then-retry'],
  ['42C780000', true, true, 'search-then-retry'],
  ['42G020000', false, false, 'customer'],
  ['42G990000', false, false, 'customer'],
  ['M01004014', false, false, 'search-trade'],
  ['ZZZ999999', false, false, 'fix-request'],
] as const)('%s: retryable %s, state unknown %s, %s', (info, retryable, stateUnknown, action) => {
  const meaning = describeGmoError(info);
  expect(meaning).toMatchObject({ info, retryable, action, state: stateUnknown ? '不明' : '未決' });
  expect(meaning.ja.length).toBeGreaterThan(0);
  const err = GmoPgApiError.fromWire('ExecTran', [info.slice(0, 3)], [info]);
  expect(err).toMatchObject({ retryable, stateUnknown, code: info });
});

test('several codes: retryable only when all are; state unknown when any is; the message lists every meaning', () => {
  const fieldErrors = GmoPgApiError.fromWire('EntryTran', ['E01', 'E01'], ['E01050002', 'E01060006']);
  expect(fieldErrors).toMatchObject({ retryable: false, stateUnknown: false, codes: ['E01', 'E01'], infos: ['E01050002', 'E01060006'] });
  expect(fieldErrors.message).toContain('指定された処理区分は定義されていません');
  expect(fieldErrors.message).toContain('利用金額に数字以外の文字が含まれています');
  const mixed = GmoPgApiError.fromWire('ExecTran', ['E01', 'E91'], ['E01050004', 'E91020001']);
  expect(mixed).toMatchObject({ retryable: false, stateUnknown: true, action: 'search-trade' });
  expect(GmoPgApiError.fromWire('ExecTran', ['G55'], ['42G550000']).meanings[0]).toMatchObject({ en: 'issuer decline: over the limit' });
});

test('transport failures: a timeout or a dropped connection may have landed; a 5xx is retryable, a 4xx is not', () => {
  expect(GmoPgApiError.timeout('AlterTran', 1000)).toMatchObject({ code: 'TIMEOUT', retryable: true, stateUnknown: true, action: 'search-then-retry' });
  expect(GmoPgApiError.network('AlterTran', 'ECONNRESET')).toMatchObject({ code: 'NETWORK', retryable: true, stateUnknown: true });
  expect(GmoPgApiError.http('EntryTran', 503, '')).toMatchObject({ code: 'HTTP503', retryable: true, stateUnknown: true, httpStatus: 503 });
  expect(GmoPgApiError.http('EntryTran', 404, 'Not Found')).toMatchObject({ retryable: false, stateUnknown: false });
  expect(GmoPgApiError.invalidResponse('ExecTran', 'CheckString does not verify', true)).toMatchObject({ retryable: false, stateUnknown: true });
});
