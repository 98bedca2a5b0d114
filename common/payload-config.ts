import { z } from 'zod';
import type { DataConverter } from '@temporalio/common';
import { keyRingFromVariables, optionalText } from './key-ring-config';
import { DEFAULT_URLS } from './local-urls';
import { PayloadEncryptionCodec } from './payload-codec';

/**
 * The keys that encrypt what renkei hands Temporal (buyers' names, addresses, phone numbers, e-mail and IP addresses
 * among it), configured as the accounts keys are: PAYLOAD_KEYS lists `id:base64key` pairs (32-byte keys),
 * PAYLOAD_KEY_ID names the one new payloads use. Without them payloads are stored as they are.
 */
export const payloadShape = {
  PAYLOAD_KEYS: optionalText,
  PAYLOAD_KEY_ID: optionalText,
};

/** The API's codec endpoint (POST /codec/decode, /codec/encode), mounted when PAYLOAD_KEYS is set. */
export const codecEndpointShape = {
  /** The origins (comma-separated) whose pages may call it from a browser: the Temporal Web UI's. */
  PAYLOAD_CODEC_ORIGINS: z.string().default(DEFAULT_URLS.PAYLOAD_CODEC_ORIGINS)
    .transform((v) => v.split(',').map((o) => o.trim().replace(/\/$/, '')).filter(Boolean)),
  /**
   * `true` lets a request without an Authorization header decode when it comes over loopback (the dev server's Web UI,
   * which cannot send the API's bearer token). Off by default: behind a proxy on the same host every request is loopback.
   */
  PAYLOAD_CODEC_TRUST_LOOPBACK: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
};

export function payloadCodecFromConfig(config: { PAYLOAD_KEYS?: string; PAYLOAD_KEY_ID?: string }): PayloadEncryptionCodec | undefined {
  const ring = keyRingFromVariables({ keys: 'PAYLOAD_KEYS', current: 'PAYLOAD_KEY_ID' }, config.PAYLOAD_KEYS, config.PAYLOAD_KEY_ID);
  return ring && new PayloadEncryptionCodec(ring);
}

/**
 * The data converter of every Temporal client and worker of this process: when configured, the codec, and failures'
 * messages and stack traces moved into an encoded payload so the codec covers them too; the SDK's default otherwise.
 */
export function dataConverterFor(codec: PayloadEncryptionCodec | undefined): DataConverter | undefined {
  return codec ? { payloadCodecs: [codec], failureConverterPath: require.resolve('./failure-converter') } : undefined;
}
