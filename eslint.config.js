import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import layers from './eslint/layers.js';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // One import statement per module: a second one is how two names for one thing creep in.
      'no-duplicate-imports': ['error', { includeExports: true }],
    },
  },
  {
    // Unions are total: a switch over a union that misses a member fails the lint, a `default` clause
    // or not, so a new effect, message or outcome is handled wherever one is interpreted.
    files: [
      'core/**/*.ts',
      'page/**/*.ts',
      'app-service/**/*.ts',
      'app-side/**/*.ts',
      'setting/**/*.ts',
      'app.ts',
    ],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false },
      ],
    },
  },
  {
    // The folder order of core/ and the one-way shells → core rule (eslint/layers.js).
    files: ['core/**/*.ts', 'page/**/*.ts', 'app-side/**/*.ts', 'setting/**/*.ts'],
    plugins: { layers },
    rules: { 'layers/one-way': 'error' },
  },
  {
    files: ['scripts/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@zos/*', '@zeppos/*', 'node:*'],
              message: 'core/ is pure: inject the platform instead.',
            },
          ],
        },
      ],
      // Time, randomness and output come in through parameters, so core stays deterministic under test.
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'clearTimeout', 'console', 'getApp'],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Take now() as a parameter.' },
        { object: 'Math', property: 'random', message: 'Take a random source as a parameter.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Take now() as a parameter.',
        },
      ],
    },
  },
);
