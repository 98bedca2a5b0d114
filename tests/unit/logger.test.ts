import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * common/logger.ts and the Temporal SDK's adapter, as a process writes them: JSON lines by default (stdout is a pipe
 * here), LOG_LEVEL obeyed, secrets' keys redacted, and an SDK message of many lines one line with no task token.
 */
const ROOT = path.resolve(__dirname, '../..');
const script = path.join(mkdtempSync(path.join(os.tmpdir(), 'renkei-logger-')), 'write.ts');
writeFileSync(script, `
import { createLogger } from ${JSON.stringify(path.join(ROOT, 'common/logger'))};
import { temporalSdkLogger } from ${JSON.stringify(path.join(ROOT, 'common/temporal-logger'))};
const log = createLogger('unit');
log.debug('a debug line', { n: 1 });
log.info('an order', { shopId: 's-1', orderId: 'o-1', token: 'tok-secret', skipped: undefined });
log.child({ workflowId: 'wf-1' }).warn('from a child', { apiKey: 'key-secret' });
temporalSdkLogger().warn('first line\\nsecond line\\nthird line', { sdkComponent: 'worker', taskToken: 'CiQw-token', error: new Error('boom') });
`);

const run = (env: Record<string, string>) =>
  execFileSync(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env: { ...process.env, LOG_FORMAT: '', LOG_LEVEL: '', ...env }, encoding: 'utf8' })
    .split('\n').filter(Boolean);

test('JSON lines with component and fields; secrets redacted; the SDK’s multi-line message one line without its task token', () => {
  const lines = run({});
  const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(parsed).toHaveLength(3); // info by default: no debug line
  expect(parsed[0]).toMatchObject({ level: 'info', component: 'unit', msg: 'an order', shopId: 's-1', orderId: 'o-1', token: '[redacted]' });
  expect(parsed[0]).not.toHaveProperty('skipped');
  expect(parsed[1]).toMatchObject({ level: 'warn', component: 'unit', workflowId: 'wf-1', apiKey: '[redacted]' });
  expect(parsed[2]).toMatchObject({ level: 'warn', component: 'temporal', sdkComponent: 'worker', msg: 'first line\nsecond line\nthird line', error: { message: 'boom' } });
  expect(parsed[2]).not.toHaveProperty('taskToken');
  for (const secret of ['tok-secret', 'key-secret', 'CiQw-token']) expect(lines.join('\n')).not.toContain(secret);
});

test('LOG_LEVEL and LOG_FORMAT from the environment', () => {
  expect(run({ LOG_LEVEL: 'debug' }).map((l) => (JSON.parse(l) as { msg: string }).msg)[0]).toBe('a debug line');
  expect(run({ LOG_LEVEL: 'error' })).toEqual([]);
  const pretty = run({ LOG_FORMAT: 'pretty' });
  expect(pretty[0]).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: \[unit\] an order /);
  expect(pretty[0]).toContain('"token":"[redacted]"');
  // one line per event in a terminal too: the SDK's three-line message and its error's stack stay on theirs
  expect(pretty).toHaveLength(3);
  expect(pretty[2]).toMatch(/WARN: \[temporal\] first line ⏎ second line ⏎ third line .*"message":"boom"/);
});
