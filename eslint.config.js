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
    // The import rule of DESIGN.md: core is pure, web and widget reach the server only through contracts
    // and shared (pure code all three use); shared imports nothing but itself.
    files: ['src/core/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['../db/*', '../engine/*', '../server/*', '../channels/*', '../web/*', '../widget/*', 'node:*', 'pg', '@electric-sql/*'] }] },
  },
  {
    // shared/: pure code that core, engine, server, web and widget import. Only other shared files (no
    // package, no node:*, no React), no IO globals (DOM, fetch, process) and no clock or randomness.
    files: ['src/shared/**'],
    ignores: ['src/shared/**/*.test.ts', 'src/shared/**/*.test-support.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '^(?!\\./)', message: 'src/shared imports only other src/shared files (./x.js): it must stay pure and usable by core, web and widget' }],
      }],
      'no-restricted-globals': ['error', ...['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'fetch', 'WebSocket', 'XMLHttpRequest', 'process', 'Buffer', 'require', 'setTimeout', 'setInterval'].map((name) => ({
        name,
        message: 'src/shared is pure: no IO, no timers; take what you need as an argument',
      }))],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'src/shared has no clock: take "now" as an argument' },
        { object: 'Math', property: 'random', message: 'src/shared is deterministic: take randomness as an argument' },
      ],
    },
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
