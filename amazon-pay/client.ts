import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { z } from 'zod';
import { AmazonPayApiError } from './errors';
import { chargePermissionSchema, chargeSchema, refundSchema } from './schemas';
import { amazonPayHeaders, apiVersionPath, signRequest } from './signature';
import type { AmazonPayClient, AmazonPayClientOptions } from './client-types';

export type { AmazonPayClient, AmazonPayClientOptions } from './client-types';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * Our Amazon Pay API v2 client over global fetch. Every request is signed (§2) over the path exactly as it is sent,
 * including a proxy prefix of `baseUrl` (the sandbox serves the emulator under /amazon-pay), and over the very
 * body string that is sent. No hidden retries: a failure throws AmazonPayApiError with `retryable`, and Temporal's
 * activity retry policy, reusing the same idempotency key, does the retrying (§6).
 */
export function createAmazonPayClient(options: AmazonPayClientOptions): AmazonPayClient {
  const base = new URL(options.baseUrl);
  const origin = base.origin;
  const prefix = base.pathname.replace(/\/+$/, '') + apiVersionPath(options.publicKeyId, options.environment);
  // Parsed once: a bad PEM fails at start-up, not on the first payment.
  const privateKey: KeyObject = createPrivateKey(options.privateKey);

  async function call<S extends z.ZodType>(
    method: Method,
    resource: string,
    schema: S,
    body?: unknown,
    idempotencyKey?: string,
  ): Promise<z.infer<S>> {
    const path = `${prefix}/${resource}`;
    const payload = body === undefined ? '' : JSON.stringify(body);
    const signed = signRequest({
      method,
      path,
      headers: amazonPayHeaders({ host: options.host, region: options.region, idempotencyKey }),
      body: payload,
      publicKeyId: options.publicKeyId,
      privateKey,
      algorithm: options.algorithm,
    });

    let response: Response;
    let text: string;
    try {
      response = await fetch(`${origin}${path}`, {
        method,
        headers: signed.headers,
        body: body === undefined ? undefined : payload,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      text = await response.text();
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') throw AmazonPayApiError.timeout(options.timeoutMs);
      throw AmazonPayApiError.network(e.cause?.code ?? e.cause?.message ?? e.message);
    }

    const requestId = response.headers.get('x-amz-pay-request-id') ?? undefined;
    if (!response.ok) throw AmazonPayApiError.fromResponse(response.status, text, requestId);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw AmazonPayApiError.invalidResponse(response.status, 'the body is not JSON', requestId);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw AmazonPayApiError.invalidResponse(response.status, `${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`, requestId);
    }
    return parsed.data;
  }

  const id = (value: string) => encodeURIComponent(value);

  return {
    getChargePermission: (cpId) => call('GET', `chargePermissions/${id(cpId)}`, chargePermissionSchema),
    updateChargePermission: (cpId, patch) => call('PATCH', `chargePermissions/${id(cpId)}`, chargePermissionSchema, patch),
    // DELETE with a JSON body, as Amazon defines close and cancel
    closeChargePermission: (cpId, body) => call('DELETE', `chargePermissions/${id(cpId)}/close`, chargePermissionSchema, body),
    createCharge: (request, key) => call('POST', 'charges', chargeSchema, request, key),
    getCharge: (chargeId) => call('GET', `charges/${id(chargeId)}`, chargeSchema),
    captureCharge: (chargeId, body, key) => call('POST', `charges/${id(chargeId)}/capture`, chargeSchema, body, key),
    cancelCharge: (chargeId, body) => call('DELETE', `charges/${id(chargeId)}/cancel`, chargeSchema, body),
    createRefund: (request, key) => call('POST', 'refunds', refundSchema, request, key),
    getRefund: (refundId) => call('GET', `refunds/${id(refundId)}`, refundSchema),
  };
}
