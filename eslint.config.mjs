// Lint configuration. The core-purity block is the one that matters most: server/src/core must
// stay a pure function of text, so the CLI, the server and the tests can all run it.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/out/**',
      'node_modules/**',
      'dist/**',
      '.e2e-artifacts/**',
      '.vscode-test/**',
      // Third-party sample templates, copied unchanged (test/fixtures/corpus/README.md).
      'test/fixtures/corpus/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: ['server/src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(node:)?(fs|path|process|child_process|os|net|http|https|worker_threads)(/.*)?$',
              message: 'The core is pure: no file system, process or network. Take what you need from a FileHost.',
            },
            { regex: '^vscode', message: 'The core never imports vscode or vscode-languageserver*.' },
            { regex: '^\\.\\./\\.\\./(node|cli|server)', message: 'The core never imports its adapters.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'The core is pure: no process.' }],
    },
  },
);
