import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'data/**', 'node_modules/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'warn',
    },
  },
  {
    // The import rule of DESIGN.md: core is pure, web and widget reach the server only through contracts.
    files: ['src/core/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['../db/*', '../engine/*', '../server/*', '../channels/*', '../web/*', 'node:*', 'pg', '@electric-sql/*'] }] },
  },
  {
    files: ['src/web/**', 'src/widget/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: ['db', 'engine', 'server', 'channels', 'core'].flatMap((d) => [`../${d}/*`, `../../${d}/*`, `../../../${d}/*`]),
      }],
    },
  },
  { files: ['test/**', '**/*.test.ts', 'bench/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
