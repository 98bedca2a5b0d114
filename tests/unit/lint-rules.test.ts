import { unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';

/** The lint step guards workflow determinism and floating promises; prove the rules fire on a probe file. */
const probe = path.resolve(__dirname, '../../workflows/__lint-probe__.ts');

afterEach(() => {
  try {
    unlinkSync(probe);
  } catch {
    // already gone
  }
});

async function lint(code: string) {
  writeFileSync(probe, code);
  const [result] = await new ESLint({ cwd: path.resolve(__dirname, '../..') }).lintFiles([probe]);
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

test('workflows may not import Node built-ins, pg, express or clients', async () => {
  const messages = await lint([
    "import { readFileSync } from 'node:fs';",
    "import { Pool } from 'pg';",
    "import express from 'express';",
    "import { createAuPayClient } from '../au-pay/client';",
    'export const x = [readFileSync, Pool, express, createAuPayClient];',
  ].join('\n'));
  expect(messages.filter((m) => m.startsWith('no-restricted-imports'))).toHaveLength(4);
}, 60_000);

test('a floating promise is an error', async () => {
  const messages = await lint('async function f(): Promise<void> {}\nexport function g(): void { f(); }\n');
  expect(messages.some((m) => m.startsWith('@typescript-eslint/no-floating-promises'))).toBe(true);
}, 60_000);
