import { randomBytes } from 'node:crypto';
import { ApplicationFailure, defaultPayloadConverter, METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { loadDataConverter } from '@temporalio/common/lib/internal-non-workflow';
import { decodeOptionalFailureToOptionalError, encodeErrorToFailure } from '@temporalio/common/lib/internal-non-workflow/codec-helpers';
import { temporal } from '@temporalio/proto';
import { ConfigError } from '../../common/env';
import { ENCRYPTED_ENCODING, METADATA_KEY_ID, PayloadEncryptionCodec, PayloadKeyError } from '../../common/payload-codec';
import { dataConverterFor, payloadCodecFromConfig } from '../../common/payload-config';

const key = () => randomBytes(32).toString('base64');
const k1 = key();
const k2 = key();
const codec = (keys: string, current: string) => payloadCodecFromConfig({ PAYLOAD_KEYS: keys, PAYLOAD_KEY_ID: current })!;
const buyer = { lastName: '山田', firstName: '太郎', email: 'taro.yamada@example.jp', tel: '03-1234-5678', ipAddress: '203.0.113.45' };
const payload = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
const text = (p: Payload) => Buffer.concat([...Object.values(p.metadata ?? {}), p.data ?? new Uint8Array()].map((b) => Buffer.from(b))).toString('utf8');
const meta = (p: Payload, k: string) => Buffer.from(p.metadata![k]!).toString('utf8');

describe('the payload codec (AES-256-GCM, key ids)', () => {
  const one = codec(`k1:${k1}`, 'k1');

  test('a payload round-trips, sealed whole: encoding, key id, and no buyer field in clear', async () => {
    const [sealed] = await one.encode([payload(buyer)]);
    expect(meta(sealed!, METADATA_ENCODING_KEY)).toBe(ENCRYPTED_ENCODING);
    expect(meta(sealed!, METADATA_KEY_ID)).toBe('k1');
    expect(Object.keys(sealed!.metadata!).sort()).toEqual([METADATA_ENCODING_KEY, METADATA_KEY_ID].sort()); // json/plain is inside
    for (const value of [...Object.values(buyer), 'json/plain']) expect(text(sealed!)).not.toContain(value);
    const [opened] = await one.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(buyer);
    expect(meta(opened!, METADATA_ENCODING_KEY)).toBe('json/plain');
  });

  test('two encodings of the same payload differ (fresh nonce)', async () => {
    const [a, b] = await one.encode([payload(buyer), payload(buyer)]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  test('rotation: a payload sealed with key 1 still opens once key 2 is current; new payloads use key 2', async () => {
    const [old] = await one.encode([payload(buyer)]);
    const rotated = codec(`k1:${k1},k2:${k2}`, 'k2');
    const [fresh] = await rotated.encode([payload('after rotation')]);
    expect(meta(fresh!, METADATA_KEY_ID)).toBe('k2');
    const [a, b] = await rotated.decode([old!, fresh!]);
    expect(defaultPayloadConverter.fromPayload(a!)).toEqual(buyer);
    expect(defaultPayloadConverter.fromPayload(b!)).toBe('after rotation');
    // and a process that still has only key 1 says which key it lacks
    await expect(one.decode([fresh!])).rejects.toThrow(/key "k2", which is not in PAYLOAD_KEYS \(k1\)/);
  });

  test('a payload altered anywhere, or relabelled with another key id, is refused', async () => {
    const [sealed] = await one.encode([payload(buyer)]);
    const data = Buffer.from(sealed!.data!);
    for (const at of [0, 12, Math.floor(data.length / 2), data.length - 1]) {
      const tampered = Buffer.from(data);
      tampered[at]! ^= 1;
      await expect(one.decode([{ ...sealed!, data: tampered }])).rejects.toThrow(PayloadKeyError);
    }
    await expect(one.decode([{ ...sealed!, data: data.subarray(0, 20) }])).rejects.toThrow(/too short/);
    // the same key under another id: the key id is bound into the associated data
    const twin = codec(`k1:${k1},k9:${k1}`, 'k1');
    const relabelled = { ...sealed!, metadata: { ...sealed!.metadata, [METADATA_KEY_ID]: Buffer.from('k9') } };
    await expect(twin.decode([relabelled])).rejects.toThrow(/does not open/);
  });

  test('an unknown key id, or none, is refused with a clear error', async () => {
    const [sealed] = await one.encode([payload(buyer)]);
    const other = codec(`k2:${k2}`, 'k2');
    await expect(other.decode([sealed!])).rejects.toThrow(new PayloadKeyError('a payload encrypted with key "k1", which is not in PAYLOAD_KEYS (k2)'));
    const { [METADATA_KEY_ID]: _dropped, ...withoutId } = sealed!.metadata!;
    await expect(one.decode([{ ...sealed!, metadata: withoutId }])).rejects.toThrow(/without its encryption-key-id/);
  });

  test('a payload stored before the codec was on passes through', async () => {
    const plain = payload({ orderId: 'O-1' });
    expect(await one.decode([plain])).toEqual([plain]);
  });
});

describe('configuration, as the accounts key ring', () => {
  test('no PAYLOAD_KEYS: no codec, the SDK default converter', () => {
    expect(payloadCodecFromConfig({})).toBeUndefined();
    expect(dataConverterFor(undefined)).toBeUndefined();
  });

  test('keys and current id go together, and bad keys name the variable, never the key', () => {
    expect(() => payloadCodecFromConfig({ PAYLOAD_KEYS: `k1:${k1}` })).toThrow(new ConfigError('invalid configuration:\n  PAYLOAD_KEY_ID: missing (PAYLOAD_KEYS and PAYLOAD_KEY_ID go together)'));
    expect(() => payloadCodecFromConfig({ PAYLOAD_KEYS: `k1:${k1}`, PAYLOAD_KEY_ID: 'k2' })).toThrow(/PAYLOAD_KEYS: the current key id k2 is not among the keys \(k1\)/);
    const short = randomBytes(16).toString('base64');
    let message = '';
    try {
      payloadCodecFromConfig({ PAYLOAD_KEYS: `k1:${short}`, PAYLOAD_KEY_ID: 'k1' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/PAYLOAD_KEYS: key k1: must be 32 bytes/);
    expect(message).not.toContain(short);
  });

  test('the codec is the data converter’s only payload codec', () => {
    const c = codec(`k1:${k1}`, 'k1');
    expect(c).toBeInstanceOf(PayloadEncryptionCodec);
    expect(dataConverterFor(c)).toMatchObject({ payloadCodecs: [c] });
  });

  test('a failure’s message and stack trace are encrypted too, and read back by whoever holds the key', async () => {
    const converter = loadDataConverter(dataConverterFor(codec(`k1:${k1}`, 'k1')));
    const refusal = ApplicationFailure.create({ message: `550 <${buyer.email}>: recipient address rejected`, type: 'MailRefused' });
    const failure = await encodeErrorToFailure(converter, refusal);
    const stored = Buffer.from(temporal.api.failure.v1.Failure.encode(failure).finish());
    expect(failure.message).toBe('Encoded failure');
    expect(stored.includes(Buffer.from(buyer.email))).toBe(false);
    expect(meta(failure.encodedAttributes!, METADATA_ENCODING_KEY)).toBe(ENCRYPTED_ENCODING);
    const back = await decodeOptionalFailureToOptionalError(converter, temporal.api.failure.v1.Failure.decode(stored));
    expect(back).toMatchObject({ message: refusal.message, type: 'MailRefused' });
  });
});
