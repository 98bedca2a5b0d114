import { ZodError, z } from 'zod';
import { echoId, findUnstorableText, unstorableText } from '../../common/safe-text';
import { clientError } from '../../common/request-errors';

describe('text PostgreSQL cannot store', () => {
  test('NUL and a lone surrogate are refused; a surrogate pair is text', () => {
    expect(unstorableText('a\u0000b')).toMatch(/NUL/);
    expect(unstorableText('a\ud800')).toMatch(/surrogate/);
    expect(unstorableText('\udc00a')).toMatch(/surrogate/);
    expect(unstorableText('😀 確認済み \n\t')).toBeUndefined();
  });

  test('the first one in a body is named by its path, keys included', () => {
    expect(findUnstorableText({ a: 'ok', buyer: { lastName: 'x\ud800' } })).toEqual({ field: 'buyer.lastName', reason: expect.stringMatching(/surrogate/) });
    expect(findUnstorableText({ items: [{ name: 'ok' }, { name: '\u0000' }] })).toEqual({ field: 'items.1.name', reason: expect.stringMatching(/NUL/) });
    expect(findUnstorableText({ 'k\u0000': 1 })).toEqual({ field: 'k\\u0000', reason: expect.stringMatching(/^its name/) });
    expect(findUnstorableText(JSON.parse('{"__proto__": {"x": "\\u0000"}}'))).toEqual({ field: '__proto__.x', reason: expect.stringMatching(/NUL/) });
    expect(findUnstorableText({ a: [1, null, true, { b: 'fine' }] })).toBeUndefined();
    expect(findUnstorableText(undefined)).toBeUndefined();
  });

  test('a body nested 100,000 deep is walked without a stack overflow', () => {
    const depth = 100_000;
    const deep = JSON.parse(`${'['.repeat(depth)}"\\u0000"${']'.repeat(depth)}`) as unknown;
    const found = findUnstorableText(deep)!;
    expect(found.reason).toMatch(/NUL/);
    expect(found.field.length).toBeLessThanOrEqual(129);
  });
});

describe('echoing what the caller sent', () => {
  test('escaped as JSON writes it, at most the bound', () => {
    expect(echoId('A-1')).toBe('A-1');
    expect(echoId('a\nb\u0000"c')).toBe('a\\nb\\u0000\\"c');
    expect(echoId('\ud800')).toBe('\\ud800');
    expect(echoId('x'.repeat(5000))).toBe(`${'x'.repeat(64)}…`);
    expect(echoId('\u0001'.repeat(64)).length).toBe(65);
  });

  test('validation errors list at most 20 issues, each bounded', () => {
    const schema = z.array(z.object({ n: z.number() }).strict());
    const result = schema.safeParse(Array.from({ length: 50 }, () => ({ n: 'x', ['k'.repeat(1000)]: 1 })));
    const err = clientError(result.error as ZodError)!;
    expect(err.status).toBe(400);
    const issues = err.body.issues as Array<{ field: string; reason: string }>;
    expect(issues).toHaveLength(20);
    expect(err.body.issueCount).toBe(100);
    for (const i of issues) expect(i.reason.length).toBeLessThanOrEqual(201);
  });

  test("body-parser's and the router's errors keep their 4xx and echo nothing", () => {
    const bp = (status: number, type: string, message: string) => Object.assign(new Error(message), { status, statusCode: status, expose: true, type });
    expect(clientError(bp(413, 'entity.too.large', 'request entity too large'))).toEqual({ status: 413, body: { error: 'body is too large' } });
    expect(clientError(bp(415, 'charset.unsupported', `unsupported charset "${'X'.repeat(9000)}"`))?.status).toBe(415);
    expect(clientError(bp(415, 'encoding.unsupported', 'unsupported content encoding "bogus"'))?.status).toBe(415);
    expect(clientError(bp(400, 'constructor', 'incorrect header check'))).toEqual({ status: 400, body: { error: 'incorrect header check' } });
    const uri = Object.assign(new URIError("Failed to decode param '%E0%A4%A'"), { status: 400, statusCode: 400 });
    expect(clientError(uri)).toEqual({ status: 400, body: { error: 'a path segment is not valid percent-encoded UTF-8' } });
    expect(clientError(new Error('boom'))).toBeUndefined();
    expect(clientError(Object.assign(new Error('db down'), { status: 503, expose: false }))).toBeUndefined();
  });
});
