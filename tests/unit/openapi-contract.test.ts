import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Express } from 'express';
import { createApiApp } from '../../api/app';
import { openApiDocument } from '../../api/openapi/document';
import { API_OPERATIONS } from '../../api/openapi/operations';
import type { SnsVerifier } from '../../amazon-pay/sns/sns-verifier';

const TOKEN = 'openapi-test-token';

/** The app as production mounts it (the codec endpoint included); nothing here is called, only routed. */
function app(): Express {
  return createApiApp({
    temporal: {} as Client, db: {} as Pool, apiToken: TOKEN, taskQueue: 'openapi-test', isKnownShop: () => true,
    ipnVerifier: {} as SnsVerifier,
    payloadCodec: { codec: { encode: async (p) => p, decode: async (p) => p }, origins: [], trustLoopback: false },
  });
}

interface Layer {
  rawPath?: string | string[];
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every route the express app serves, as "METHOD /openapi/{style}": walked from its router stack, mounts included. */
function mountedRoutes(a: Express): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      const raw = Array.isArray(layer.rawPath) ? layer.rawPath[0] : layer.rawPath;
      const at = raw && raw !== '/' ? prefix + raw : prefix;
      if (layer.route) {
        const path = (prefix + (layer.route.path === '/' ? '' : layer.route.path)) || '/';
        for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') found.push(`${method.toUpperCase()} ${path}`);
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack, at);
      }
    }
  };
  walk((a as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return found
    .filter((r) => !r.split(' ')[1]!.startsWith('/console')) // the console's static files: pages, not API operations
    .map((r) => r.replace(/:(\w+)/g, '{$1}'));
}

describe("the API's contract (OpenAPI 3.1)", () => {
  const doc = openApiDocument() as { openapi: string; paths: Record<string, Record<string, Record<string, unknown>>>; components: Record<string, unknown> };

  it('has an operation for every mounted route, and a mounted route for every operation', () => {
    const routes = mountedRoutes(app()).sort();
    const operations = API_OPERATIONS.map((o) => `${o.method.toUpperCase()} ${o.path}`).sort();
    expect(routes.filter((r) => !operations.includes(r))).toEqual([]); // a route without a contract
    expect(operations.filter((o) => !routes.includes(o))).toEqual([]); // a contract without a route
    expect(new Set(routes).size).toBe(routes.length);
  });

  it('is an OpenAPI 3.1 document: each path parameter declared, unique operation ids, a schema for each JSON answer', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes).toEqual({ bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }) });
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const [method, op] of Object.entries(item)) {
        expect(['get', 'post', 'put', 'patch', 'delete']).toContain(method);
        const params = op.parameters as Array<{ name: string; in: string; required: boolean; schema: object }>;
        expect(params.filter((p) => p.in === 'path').map((p) => p.name).sort()).toEqual(inPath);
        for (const p of params) {
          expect(['path', 'query', 'header']).toContain(p.in);
          if (p.in === 'path') expect(p.required).toBe(true);
          expect(typeof p.schema).toBe('object');
        }
        expect(ids.has(op.operationId as string)).toBe(false);
        ids.add(op.operationId as string);
        const responses = op.responses as Record<string, { description: string; content?: Record<string, { schema?: object }> }>;
        expect(Object.keys(responses).length).toBeGreaterThan(0);
        for (const [code, r] of Object.entries(responses)) {
          expect(code).toMatch(/^[1-5]\d\d$/);
          expect(r.description.length).toBeGreaterThan(0);
          const json = r.content?.['application/json'];
          if (json) expect(json.schema).toEqual(expect.any(Object));
          // schemas are inlined: no $ref the document cannot resolve
          expect(JSON.stringify(r)).not.toContain('$ref');
        }
        const role = op['x-renkei-role'];
        expect(op.security).toEqual(role ? [{ bearer: [] }] : []);
        if (role) expect(String(op.description)).toContain(`Role: ${role}`);
      }
    }
  });

  it('publishes the schemas the routes validate with: a refused input in the route is refused by the document too', () => {
    const shipment = doc.paths['/shops/{shopId}/au-pay/shipments']!.post!.requestBody as { content: Record<string, { schema: { properties: Record<string, { pattern?: string }>; required: string[] } }> };
    const schema = shipment.content['application/json']!.schema;
    expect(schema.required).toEqual(expect.arrayContaining(['orderId', 'auPayOrderId', 'carrier']));
    expect(schema.properties.auPayOrderId!.pattern).toBe('^\\d{1,20}$');
  });

  describe('served without a token', () => {
    let server: Server;
    let base: string;
    beforeAll(async () => {
      server = await new Promise((resolve) => {
        const s = app().listen(0, '127.0.0.1', () => resolve(s));
      });
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('GET /openapi.json is the document', async () => {
      const res = await fetch(`${base}/openapi.json`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toEqual(JSON.parse(JSON.stringify(doc)));
    });

    it('GET /openapi is the reference page, self-contained (no script or style from elsewhere)', async () => {
      const res = await fetch(`${base}/openapi`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain("fetch('openapi.json')");
      expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=/);
    });
  });
});
