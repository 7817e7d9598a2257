import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

export default ts.config(
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } }
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser } }
  },
  {
    // CouchDB design functions: ES5 scripts run by CouchDB's SpiderMonkey and the embedded store,
    // with the view API's `emit` and the provisioner's `__RULES__` placeholder as globals.
    files: ['couch/design/**/*.js'],
    languageOptions: {
      ecmaVersion: 5,
      sourceType: 'commonjs',
      globals: { emit: 'readonly', __RULES__: 'readonly' }
    }
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
    }
  },
  {
    // Specs take `test` and `expect` from the fixture that starts their worker's own server
    // and sets `baseURL`; Playwright's bare `test` has no server to talk to.
    files: ['e2e/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@playwright/test',
              importNames: ['test', 'expect'],
              message: "Import test and expect from './support/region-server' (it starts the worker's server)."
            }
          ]
        }
      ]
    }
  },
  {
    ignores: [
      'build/',
      '.svelte-kit/',
      'node_modules/',
      'src/lib/paraglide/',
      'data/',
      'bench/results/',
      'test-results/'
    ]
  }
);
