import { METADATA_ENCODING_KEY, ValueError, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { decryptGcm, encryptGcm, type KeyRing } from './account-crypto';

/** As Temporal's encryption sample writes them: the Web UI and `temporal` CLI know an encrypted payload by these. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const METADATA_KEY_ID = 'encryption-key-id';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const text = (s: string) => Buffer.from(s, 'utf8');
/** The associated data: a payload sealed for one key id does not open as another's, nor as a sealed account. */
const associatedData = (keyId: string) => text(`temporal-payload:${keyId}`);

/** A payload this process cannot open: the key is not in its ring, or the payload was altered. */
export class PayloadKeyError extends ValueError {
  override name = 'PayloadKeyError';
}

/**
 * Every payload renkei hands Temporal (workflow and activity inputs and results, signals, updates, queries, memos),
 * sealed whole with AES-256-GCM under the ring's current key, as samples-typescript's `encryption/` does: the metadata
 * says `binary/encrypted` and names the key; the data is nonce ‖ ciphertext ‖ tag. Decoding uses the key the payload
 * names, so keys rotate by adding one and making it current: payloads sealed with an older key still open while it
 * stays in the ring. A payload that is not encrypted (written before the codec was on) passes through unchanged.
 */
export class PayloadEncryptionCodec implements PayloadCodec {
  constructor(private readonly ring: KeyRing) {}

  get currentKeyId(): string {
    return this.ring.currentKeyId;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const keyId = this.ring.currentKeyId;
    const key = this.ring.keys.get(keyId)!;
    return payloads.map((payload) => {
      const { nonce, ciphertext, tag } = encryptGcm(key, temporal.api.common.v1.Payload.encode(payload).finish(), associatedData(keyId));
      return {
        metadata: { [METADATA_ENCODING_KEY]: text(ENCRYPTED_ENCODING), [METADATA_KEY_ID]: text(keyId) },
        data: Buffer.concat([nonce, ciphertext, tag]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || Buffer.from(encoding).toString('utf8') !== ENCRYPTED_ENCODING) return payload;
      const keyIdBytes = payload.metadata?.[METADATA_KEY_ID];
      if (!keyIdBytes) throw new PayloadKeyError(`an encrypted payload without its ${METADATA_KEY_ID}`);
      const keyId = Buffer.from(keyIdBytes).toString('utf8');
      const key = this.ring.keys.get(keyId);
      if (!key) {
        throw new PayloadKeyError(`a payload encrypted with key ${JSON.stringify(keyId.slice(0, 64))}, which is not in PAYLOAD_KEYS (${[...this.ring.keys.keys()].join(', ')})`);
      }
      const data = payload.data ?? new Uint8Array();
      if (data.length < NONCE_BYTES + TAG_BYTES) throw new PayloadKeyError(`an encrypted payload (key ${keyId}) too short to hold a nonce and a tag`);
      const plaintext = decryptGcm(key, {
        nonce: data.subarray(0, NONCE_BYTES),
        ciphertext: data.subarray(NONCE_BYTES, data.length - TAG_BYTES),
        tag: data.subarray(data.length - TAG_BYTES),
      }, associatedData(keyId));
      if (!plaintext) throw new PayloadKeyError(`an encrypted payload (key ${keyId}) does not open: altered, or sealed with another key of that id`);
      return temporal.api.common.v1.Payload.decode(plaintext);
    });
  }
}
