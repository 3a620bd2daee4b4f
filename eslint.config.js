// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-output/', 'bench-output/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js', 'bench/servers/*.mjs', 'test/helpers/*.mjs', 'homebridge-ui/server.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-unnecessary-condition': 'off',
    },
  },
  {
    // An ES import of node:http(s) makes Node build a module facade that reads every
    // export, and http's lazy WebSocket getters then load undici, http2, tls, zlib and
    // worker_threads (14 MiB RSS, measured). Types are free.
    files: ['src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['http', 'https', 'node:http', 'node:https'].map((name) => ({
            name,
            message: "use process.getBuiltinModule('node:http') (an ES import loads undici; see src/http/server.ts)",
            allowTypeImports: true,
          })),
        },
      ],
    },
  },
  {
    // ava's assertions are bound; JSON bodies in tests are checked by the assertions.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  {
    files: ['eslint.config.js', 'bench/servers/*.mjs', 'test/helpers/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Plain JavaScript run by Node (the bench server avoids the type stripper's memory).
    files: ['bench/servers/*.mjs', 'test/helpers/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
