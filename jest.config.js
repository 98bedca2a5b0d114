/**
 * One test file at a time: every file owns a Temporal server, a database and a sandbox, and the machine has 2 cores. In a
 * worker process, not in band, so the worker can be replaced once its heap passes workerIdleMemoryLimit: each file
 * leaves ~40 MB behind, and in band the heap grew through the run until every file with an embedded database took
 * ~12 s longer (CI's PGlite pass: 1,506 s of jest against 945 s on the PostgreSQL server).
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
  maxWorkers: 1,
  workerIdleMemoryLimit: '512MB',
  testTimeout: 120_000,
  verbose: true,
};
