// Lint: floating promises everywhere; inside workflows/, nothing that is not deterministic and workflow-safe.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'console/dist/', '.tools/', '.data/', 'coverage/', '*.config.*'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          ...nodeBuiltins.map((name) => ({ name, message: 'Workflows must be deterministic: no Node built-ins.' })),
          { name: 'pg', message: 'Workflows never touch the database: use an activity.' },
          { name: 'express', message: 'Workflows never serve HTTP.' },
          { name: 'nodemailer', message: 'Workflows never send mail: use an activity.' },
        ],
        patterns: [
          { group: ['**/client', '**/*-client', '**/emulator*', '**/db/*', '**/mail/*'], message: 'Workflows import only workflow-safe modules; activities call clients.', allowTypeImports: true },
          { group: ['../activities/*', '../activities'], message: 'Import activities as types only.', allowTypeImports: true },
        ],
      }],
    },
  },
);
