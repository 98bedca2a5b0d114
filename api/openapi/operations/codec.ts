import type { ApiOperation } from '../operation';
import { fail, ok } from '../common';
import { payloadsAnswer, payloadsBody } from '../../codec/schemas';

const tag = 'Payload codec';
const description = "Temporal's remote codec protocol, for the Web UI. Mounted when PAYLOAD_KEYS is set. The deployment's API_TOKEN only "
  + '(no operator token); without Authorization only over loopback when PAYLOAD_CODEC_TRUST_LOOPBACK is on. CORS for PAYLOAD_CODEC_ORIGINS.';
const responses = {
  200: ok('the payloads', payloadsAnswer), 403: fail('this origin may not use the codec endpoint'),
  415: fail('send the payloads as application/json'), 422: fail('a payload was sealed with a key this deployment does not have'),
};

export const CODEC_OPERATIONS: ApiOperation[] = [
  { method: 'post', path: '/codec/decode', tag, role: 'admin', description, summary: 'Decode payloads (decrypt)', body: payloadsBody, responses },
  { method: 'post', path: '/codec/encode', tag, role: 'admin', description, summary: 'Encode payloads (encrypt)', body: payloadsBody, responses },
];
