// ESLint flat config. The one project rule that matters most: codec/, tiff/, mime/, fax/ and
// config/schema.ts are pure (bytes in, objects out): no node: builtins, no I/O packages.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['dist/**', 'dist-check/**', 'node_modules/**', 'coverage/**', 'bench/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', performance: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['src/codec/**/*.ts', 'src/tiff/**/*.ts', 'src/mime/**/*.ts', 'src/fax/**/*.ts', 'src/config/schema.ts', 'src/config/enums.ts', 'src/errors.ts', 'src/limits.ts', 'src/secrets.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'codec/, tiff/, mime/ are pure: pass I/O in as an interface.' })),
          patterns: [{ group: ['node:*'], message: 'codec/, tiff/, mime/ are pure: no node: imports.' }, { group: ['**/cli/**', '**/transport/**', '**/store/**'], message: 'pure modules must not reach into I/O layers.' }],
        },
      ],
      'no-restricted-globals': ['error', { name: 'Buffer', message: 'Use Uint8Array in pure modules.' }, { name: 'process', message: 'Pure modules take their inputs as arguments.' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/main.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'exit', message: 'Only src/cli/main.ts exits: throw an IfaxError.' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
