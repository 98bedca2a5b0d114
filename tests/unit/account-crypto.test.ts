import { randomBytes } from 'node:crypto';
import { open, parseKeyRing, seal, SealedRecordError } from '../../common/account-crypto';
import { maskAccount } from '../../accounts/provider-fields';
import { keyRingFromConfig } from '../../common/accounts-config';
import { ConfigError } from '../../common/env';

const key = () => randomBytes(32).toString('base64');

describe('sealing provider accounts (AES-256-GCM)', () => {
  const k1 = key();
  const k2 = key();
  const ring1 = parseKeyRing(`k1:${k1}`, 'k1');
  const ring12 = parseKeyRing(`k1:${k1},k2:${k2}`, 'k2');

  test('a sealed record opens with its owner and hides the plaintext', () => {
    const sealed = seal(ring1, '{"shopPass":"hunter22"}', 'provider-account:s1:gmo-pg');
    expect(sealed.keyId).toBe('k1');
    expect(Buffer.from(sealed.ciphertext, 'base64').toString('utf8')).not.toContain('hunter22');
    expect(open(ring1, sealed, 'provider-account:s1:gmo-pg')).toBe('{"shopPass":"hunter22"}');
  });

  test('two seals of the same text differ (fresh nonce)', () => {
    const a = seal(ring1, 'same', 'o');
    const b = seal(ring1, 'same', 'o');
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  test('a record moved to another shop, or tampered with, does not open', () => {
    const sealed = seal(ring1, 'secret', 'provider-account:s1:gmo-pg');
    expect(() => open(ring1, sealed, 'provider-account:s2:gmo-pg')).toThrow(SealedRecordError);
    const flipped = Buffer.from(sealed.ciphertext, 'base64');
    flipped[0]! ^= 1;
    expect(() => open(ring1, { ...sealed, ciphertext: flipped.toString('base64') }, 'provider-account:s1:gmo-pg')).toThrow(/does not open/);
  });

  test('rotation: new records use the current key, old ones still open by their key id', () => {
    const old = seal(ring1, 'before', 'o');
    const fresh = seal(ring12, 'after', 'o');
    expect(fresh.keyId).toBe('k2');
    expect(open(ring12, old, 'o')).toBe('before');
    expect(() => open(ring1, fresh, 'o')).toThrow(/key k2, which this process does not have/);
  });

  test('bad key rings are refused with the reason and no key material', () => {
    expect(() => parseKeyRing('k1:c2hvcnQ=', 'k1')).toThrow(/32 bytes/);
    expect(() => parseKeyRing(`k1:${k1}`, 'k9')).toThrow(/current key id k9 is not among the keys \(k1\)/);
    expect(() => parseKeyRing(`k1:${k1},k1:${k2}`, 'k1')).toThrow(/twice/);
    let message = '';
    try {
      keyRingFromConfig({ ACCOUNTS_KEYS: `k1:${k1.slice(0, 20)}`, ACCOUNTS_KEY_ID: 'k1' });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toMatch(/ACCOUNTS_KEYS: key k1: must be 32 bytes/);
    expect(message).not.toContain(k1.slice(0, 20));
    expect(() => keyRingFromConfig({ ACCOUNTS_KEYS: `k1:${k1}` })).toThrow(/ACCOUNTS_KEY_ID: missing/);
    expect(keyRingFromConfig({})).toBeUndefined();
  });
});

describe('masking', () => {
  test('settings are shown, secrets only as set and their last 4', () => {
    expect(maskAccount('gmo-pg', { shopId: 'tshop0001', shopPass: 'abcd1234xy', siteId: 'tsite01' })).toEqual({
      shopId: 'tshop0001', shopPass: { set: true, last4: '34xy' }, siteId: 'tsite01', sitePass: { set: false, last4: null },
    });
  });

  test('a short secret shows no characters at all; a PEM shows the last 4 of its body, not its footer', () => {
    expect(maskAccount('oplux', { merchantId: 'm', accessId: 'a', secret: 'abc123' }).secret).toEqual({ set: true, last4: null });
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nWXYZ\n-----END PRIVATE KEY-----\n';
    expect(maskAccount('amazon-pay', { merchantId: 'M', publicKeyId: 'P', privateKey: pem }).privateKey).toEqual({ set: true, last4: 'WXYZ' });
  });
});
