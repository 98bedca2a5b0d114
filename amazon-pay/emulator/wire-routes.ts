import { randomUUID } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { LISTENER_HOSTS } from '../../sandbox/tls-listener';
import { idempotencyKeySchema } from '../schemas';
import { respondWithFaults, type WireResponse } from '../../sandbox/toolkit/respond';
import { apiError, type ApiResult } from './api-result';
import { cancelCharge, captureCharge, createCharge, getCharge } from './charge-ops';
import { closeChargePermission, getChargePermission, updateChargePermission } from './permission-ops';
import { createRefund, getRefund } from './refund-ops';
import { requestFingerprint, type IdempotencyKeys } from './idempotency';
import { verifyRequest } from './request-auth';
import { simulationFor } from './simulation-codes';
import type { EmulatorCore, OpContext } from './core';
import type { PublicKeys } from './keys';
import type { AmazonPayOperation } from './outcomes';
import type { Throttle } from './throttle';

/** /{sandbox|live}/v2/<resource>[/<id>[/<action>]] or /v2/…, with or without a trailing slash (§1). */
const API_PATH = /^\/(?:(sandbox|live)\/)?v2\/(chargePermissions|charges|refunds)(?:\/([^/]+)(?:\/([^/]+))?)?\/?$/;

interface Route {
  operation: AmazonPayOperation;
  id?: string;
}

/** The operations of §4 by method and path shape. */
function route(method: string, resource: string, id: string | undefined, action: string | undefined): Route | 'wrong-method' | undefined {
  // [method, resource, shape: none | id | <action>, operation]
  const table: Array<[string, string, string, AmazonPayOperation]> = [
    ['GET', 'chargePermissions', 'id', 'getChargePermission'],
    ['PATCH', 'chargePermissions', 'id', 'updateChargePermission'],
    ['DELETE', 'chargePermissions', 'close', 'closeChargePermission'],
    ['POST', 'charges', 'none', 'createCharge'],
    ['GET', 'charges', 'id', 'getCharge'],
    ['POST', 'charges', 'capture', 'captureCharge'],
    ['DELETE', 'charges', 'cancel', 'cancelCharge'],
    ['POST', 'refunds', 'none', 'createRefund'],
    ['GET', 'refunds', 'id', 'getRefund'],
  ];
  const shape = id === undefined ? 'none' : action === undefined ? 'id' : action;
  const matches = table.filter(([, r, s]) => r === resource && s === shape);
  if (!matches.length) return undefined;
  const hit = matches.find(([m]) => m === method);
  return hit ? { operation: hit[3], id: id === undefined ? undefined : safeDecode(id) } : 'wrong-method';
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** POSTs that move money take an idempotency key (§6); on GET, PATCH and DELETE a key has no effect. */
const IDEMPOTENT: ReadonlySet<AmazonPayOperation> = new Set(['createCharge', 'captureCharge', 'createRefund']);
const WITH_BODY: ReadonlySet<AmazonPayOperation> = new Set(['updateChargePermission', 'closeChargePermission', 'createCharge', 'captureCharge', 'cancelCharge', 'createRefund']);

const wire = (result: ApiResult): WireResponse => ({ status: result.status, contentType: 'application/json', body: JSON.stringify(result.body) });

export interface WireDeps {
  core: EmulatorCore;
  keys: PublicKeys;
  idempotency: IdempotencyKeys;
  throttle: Throttle;
}

/**
 * The Amazon Pay API v2 data plane. The body is read raw, because the signature covers its exact bytes; the path is
 * taken from `originalUrl`, because the client signed the path it sent, proxy prefix (/amazon-pay) included.
 * Every answer carries x-amz-pay-request-id; injected faults (respondWithFaults) come before anything is applied.
 */
export function createAmazonPayWireRoutes(deps: WireDeps): Router {
  const { core } = deps;
  const router = express.Router();
  router.use(express.raw({ type: () => true, limit: '1mb' }));

  router.use((req, res, next) => {
    const m = API_PATH.exec(req.path);
    if (!m) return next();
    res.set('x-amz-pay-request-id', randomUUID());
    const r = route(req.method, m[2]!, m[3], m[4]);
    if (r === undefined) return void res.status(404).json({ reasonCode: 'ResourceNotFound', message: `No such resource: ${req.path}` });
    if (r === 'wrong-method') return void res.status(405).json({ reasonCode: 'UnsupportedOperation', message: `${req.method} is not supported on ${req.path}` });
    return respondWithFaults(res, core.kit, r.operation, () => {
      try {
        return wire(handle(deps, req, res, r, m[1] as 'sandbox' | 'live' | undefined));
      } catch (err) {
        return wire(apiError(500, 'InternalServerError', err instanceof Error ? err.message : String(err)));
      }
    });
  });
  return router;
}

function handle(deps: WireDeps, req: Request, res: Response, r: Route, pathEnvironment: 'sandbox' | 'live' | undefined): ApiResult {
  const { core } = deps;
  const now = core.kit.clock.now();
  const settings = core.store.settings;
  // Time-driven changes first, so that nothing below sees a state that should already have moved on.
  core.lifecycle.settle(now);

  const url = req.originalUrl;
  const q = url.indexOf('?');
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const auth = verifyRequest(
    {
      method: req.method, path: q < 0 ? url : url.slice(0, q), rawQuery: q < 0 ? '' : url.slice(q + 1), headers: req.headers, body, pathEnvironment,
      listenerHosts: res.locals[LISTENER_HOSTS] as string[] | undefined,
    },
    deps.keys, settings, now,
  );
  if (!auth.ok) return auth.error;
  if (!deps.throttle.allow(r.operation, settings.throttle, now)) return apiError(429, 'TooManyRequests', 'The request was throttled.');

  // The simulation header works in Sandbox only; Live ignores it (ASSUMED).
  const code = req.get('x-amz-pay-simulation-code')?.trim();
  const simulation = code && auth.environment === 'Sandbox' ? simulationFor(r.operation, code) : undefined;
  if (code && auth.environment === 'Sandbox' && !simulation) {
    return apiError(400, 'InvalidSandboxSimulationSpecified', `The simulation code ${code} does not apply to ${r.operation}.`);
  }

  let json: unknown = undefined;
  if (WITH_BODY.has(r.operation) && body.length) {
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return apiError(400, 'InvalidRequestFormat', 'The request body is not valid JSON.');
    }
  }

  let idempotencyKey: string | undefined;
  let fingerprint = '';
  if (IDEMPOTENT.has(r.operation)) {
    const key = req.get('x-amz-pay-idempotency-key');
    if (key === undefined) return apiError(400, 'MissingHeader', 'The x-amz-pay-idempotency-key header is missing.');
    if (!idempotencyKeySchema.safeParse(key).success) return apiError(400, 'InvalidHeaderValue', 'x-amz-pay-idempotency-key must be at most 32 of A-Z a-z 0-9 _ -.');
    idempotencyKey = key;
    fingerprint = requestFingerprint(r.operation, r.id, json);
    const seen = deps.idempotency.lookup(auth.environment, key, fingerprint);
    if (seen.kind === 'conflict') return apiError(400, 'DuplicateIdempotencyKey', 'The idempotency key was already used for a different request.');
    if (seen.kind === 'replay') return { status: seen.saved.status, body: JSON.parse(seen.saved.body) as unknown };
  }

  const ctx: OpContext = { operation: r.operation, environment: auth.environment, now, simulation, idempotencyKey };
  const result = run(core, ctx, r.id ?? '', json);
  if (idempotencyKey) deps.idempotency.save(auth.environment, idempotencyKey, fingerprint, { status: result.status, body: JSON.stringify(result.body) });
  return result;
}

function run(core: EmulatorCore, ctx: OpContext, id: string, body: unknown): ApiResult {
  switch (ctx.operation) {
    case 'getChargePermission': return getChargePermission(core, ctx, id);
    case 'updateChargePermission': return updateChargePermission(core, ctx, id, body);
    case 'closeChargePermission': return closeChargePermission(core, ctx, id, body);
    case 'createCharge': return createCharge(core, ctx, body);
    case 'getCharge': return getCharge(core, ctx, id);
    case 'captureCharge': return captureCharge(core, ctx, id, body);
    case 'cancelCharge': return cancelCharge(core, ctx, id, body);
    case 'createRefund': return createRefund(core, ctx, body);
    case 'getRefund': return getRefund(core, ctx, id);
  }
}
