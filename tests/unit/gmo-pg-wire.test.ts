import iconv from 'iconv-lite';
import { buildErrorKv, buildKv, charsetOf, checkString, decodeForm, encodeForm, errCodeOf, errorsOf, parseKv } from '../../gmo-pg/wire';

/** GMO-PG's K=V answers and Shift_JIS forms (docs/providers/gmo-pg.md §1). */
test('answers are split on & and then on the first =, values verbatim (spaces, =, %)', () => {
  expect(parseKv('AccessID=abc&AccessPass=def')).toEqual({ AccessID: 'abc', AccessPass: 'def' });
  expect(parseKv('Approve=       &Forward=2a99662&X=a=b&Y=%41\r\n')).toEqual({ Approve: '       ', Forward: '2a99662', X: 'a=b', Y: '%41' });
  expect(parseKv('')).toEqual({});
  expect(parseKv('ACS=0&OrderID=o-1&Method=1&PayTimes=')).toEqual({ ACS: '0', OrderID: 'o-1', Method: '1', PayTimes: '' });
});

test('3DS answers hold URLs with &: they are split on their known keys only', () => {
  expect(parseKv('ACS=2&RedirectUrl=https://acs.example/x?a=1&b=2&MD=3')).toEqual({ ACS: '2', RedirectUrl: 'https://acs.example/x?a=1&b=2&MD=3' });
  expect(parseKv('ACS=1&ACSUrl=https://acs.example/p?x=1&y=2&PaReq=eJz&a=b&MD=0123')).toEqual({
    ACS: '1', ACSUrl: 'https://acs.example/p?x=1&y=2', PaReq: 'eJz&a=b', MD: '0123',
  });
});

test('errors: ErrCode is derived from ErrInfo, several joined with |', () => {
  expect(errCodeOf('E01040010')).toBe('E01');
  expect(errCodeOf('42G550000')).toBe('G55');
  expect(errCodeOf('42C010000')).toBe('C01');
  expect(errCodeOf('EX1000302')).toBe('EX1');
  expect(buildErrorKv(['E01050002', 'E01060006'])).toBe('ErrCode=E01|E01&ErrInfo=E01050002|E01060006');
  expect(errorsOf(parseKv('ErrCode=E01|E01&ErrInfo=E01050002|E01060006'))).toEqual({ codes: ['E01', 'E01'], infos: ['E01050002', 'E01060006'] });
  expect(errorsOf(parseKv('AccessID=a'))).toBeUndefined();
  expect(buildKv([['A', '1'], ['B', 'x y']])).toBe('A=1&B=x y');
});

test('forms: Shift_JIS bytes percent-encoded as CGI.escape does; decoding detects the charset', () => {
  const sjis = encodeForm({ OrderID: 'o-1', ClientField1: 'テスト ①', Skip: undefined });
  expect(sjis).toBe('OrderID=o-1&ClientField1=%83e%83X%83g+%87%40'); // テ=83 65, ス=83 58, ト=83 67, ①=87 40
  expect(decodeForm(sjis)).toEqual({ fields: { OrderID: 'o-1', ClientField1: 'テスト ①' }, charset: 'Shift_JIS' });
  const utf8 = encodeForm({ ClientField1: '日本語～' }, 'UTF-8');
  expect(decodeForm(utf8)).toEqual({ fields: { ClientField1: '日本語～' }, charset: 'UTF-8' });
  // a declared charset wins over detection; ASCII reads the same either way
  expect(decodeForm(Buffer.from('A=%E6%97%A5'), 'Shift_JIS').fields.A).toBe(iconv.decode(Buffer.from([0xe6, 0x97, 0xa5]), 'Windows-31J'));
  expect(decodeForm('A=1&A=2&B&C=').fields).toEqual({ A: '1', B: '', C: '' });
  expect(decodeForm('A=100%&B=%zz').fields).toEqual({ A: '100%', B: '%zz' });
});

test('charset names: the Shift_JIS family, UTF-8, or nothing', () => {
  expect(charsetOf('application/x-www-form-urlencoded; charset=Shift_JIS')).toBe('Shift_JIS');
  expect(charsetOf('text/plain;charset=Windows-31J')).toBe('Shift_JIS');
  expect(charsetOf('application/x-www-form-urlencoded;charset="utf-8"')).toBe('UTF-8');
  expect(charsetOf('application/x-www-form-urlencoded')).toBeUndefined();
  expect(charsetOf(undefined)).toBeUndefined();
});

test('CheckString is md5 of OrderID+Forward+Method+PayTimes+Approve+TranID+TranDate+ShopPass', () => {
  const f = { orderId: 'o-1', forward: '2a99662', method: '1', payTimes: '', approve: '1234567', tranId: '1611261134111111111111824493', tranDate: '20261123120000' };
  // md5('o-1' + '2a99662' + '1' + '' + '1234567' + TranID + TranDate + 'pass')
  expect(checkString(f, 'pass')).toBe('e817f6feb61c620855d593dd52d7239d');
  expect(checkString(f, 'pass')).not.toBe(checkString(f, 'other'));
});
