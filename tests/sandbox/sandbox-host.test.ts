import { startTestSandbox, type TestSandbox } from '../support/sandbox';

/** The one sandbox host mounts every emulator under its own prefix, each with its control plane. */
let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox.stop());

test('the index lists every emulator, and each control plane answers under its prefix', async () => {
  const index = await sandbox.control<{ emulators: Record<string, unknown> }>('GET', '/');
  const prefixes = ['amazon-pay', 'au-pay', 'external-system', 'gmo-pg', 'oplux', 'yahoo'];
  expect(Object.keys(index.emulators).sort()).toEqual(prefixes);
  for (const prefix of prefixes) {
    expect(await sandbox.control<{ now: string }>('GET', `/${prefix}/_sandbox/clock`)).toMatchObject({ now: expect.any(String) });
  }
  await expect(sandbox.control('POST', '/yahoo/_sandbox/faults', { kind: 'explode' })).rejects.toThrow(/400/);
  await expect(sandbox.control('POST', '/oplux/_sandbox/faults', { kind: 'explode' })).rejects.toThrow(/400/);
});
