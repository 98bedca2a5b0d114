import express, { type RequestHandler, type Router } from 'express';
import type { z } from 'zod';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { requireBearer } from '../auth';
import { HttpError } from '../http-error';
import { PayloadKeyError } from '../../common/payload-codec';
import { payloadsBody } from './schemas';

/** The codec endpoint's configuration (PAYLOAD_KEYS, PAYLOAD_CODEC_ORIGINS, PAYLOAD_CODEC_TRUST_LOOPBACK). */
export interface CodecEndpoint {
  codec: PayloadCodec;
  /** Origins whose pages may call it from a browser (CORS): the Temporal Web UI's. */
  origins: readonly string[];
  /** A request without Authorization is let in when it comes straight over loopback (the dev server's Web UI). */
  trustLoopback: boolean;
}

type JsonPayload = z.infer<typeof payloadsBody>['payloads'][number];

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: p.data ? Buffer.from(p.data, 'base64') : undefined,
});
const toJson = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  ...(p.data?.length ? { data: Buffer.from(p.data).toString('base64') } : {}),
});

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * POST /codec/decode and /codec/encode, Temporal's remote codec protocol (as samples-typescript's codec server), so
 * the Web UI and `temporal --codec-endpoint` show payloads decoded to those allowed:
 * - with an Authorization header, the API's bearer token, as on every other route;
 * - without one, only when PAYLOAD_CODEC_TRUST_LOOPBACK is on and the request came straight over loopback (no proxy
 *   header): the dev server's Web UI cannot send the token, and only this machine reaches it there.
 * CORS for the Web UI's origin only (a preflight answers without credentials, as browsers send it); any other origin is
 * refused outright, and a body must be JSON, so a page elsewhere cannot post to it without a preflight.
 */
export function createCodecRoutes(o: CodecEndpoint & { apiToken: string }): Router {
  const router = express.Router();
  const origins = new Set(o.origins);
  const bearer = requireBearer(o.apiToken);

  const cors: RequestHandler = (req, res, next) => {
    const origin = req.get('origin');
    res.vary('Origin');
    if (origin !== undefined) {
      if (!origins.has(origin)) return void res.status(403).json({ error: 'this origin may not use the codec endpoint (PAYLOAD_CODEC_ORIGINS)' });
      res.set({
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': 'authorization, content-type, x-namespace',
        'Access-Control-Max-Age': '600',
      });
    }
    if (req.method === 'OPTIONS') return void res.status(204).end();
    next();
  };
  const allowed: RequestHandler = (req, res, next) => {
    if (req.get('authorization') !== undefined) return bearer(req, res, next);
    const direct = LOOPBACK.test(req.socket.remoteAddress ?? '') && !req.get('x-forwarded-for') && !req.get('forwarded');
    if (o.trustLoopback && direct) return next();
    res.status(401).set('www-authenticate', 'Bearer').json({ error: 'missing bearer token' });
  };
  const json: RequestHandler = (req, res, next) => {
    if (!req.is('application/json')) return void res.status(415).json({ error: 'send the payloads as application/json' });
    next();
  };

  const route = (name: 'encode' | 'decode') => router.post(`/${name}`, async (req, res) => {
    const { payloads } = payloadsBody.parse(req.body);
    try {
      const out = await o.codec[name](payloads.map(fromJson));
      res.json({ payloads: out.map(toJson) });
    } catch (err) {
      if (err instanceof PayloadKeyError) throw new HttpError(422, err.message);
      throw err;
    }
  });

  router.use(cors, allowed, json, express.json({ limit: '8mb' }));
  route('decode');
  route('encode');
  return router;
}
