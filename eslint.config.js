/**
 * ESLint (`npm run lint`, part of `npm run check`): typescript-eslint's type-checked recommended rules on
 * the TypeScript of src, test and bench; no import cycles anywhere in src (design.md: each arrow of the
 * pipeline goes one way); the JavaScript of bin and bench with the core recommended rules.
 */
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** The Node globals the JavaScript files use (the TypeScript ones get theirs from @types/node). */
const NODE_GLOBALS = {
  process: 'readonly',
  Buffer: 'readonly',
  console: 'readonly',
  URL: 'readonly',
  TextEncoder: 'readonly',
  TextDecoder: 'readonly',
  performance: 'readonly',
  setTimeout: 'readonly',
};

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', 'bench/.data/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver()],
      // the modules an import leads to are parsed as TypeScript too (else a cycle through them is not seen)
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts', '.js'],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // a linter of terminal output matches control characters on purpose (escapes, \b and \r redraws)
      'no-control-regex': 'off',
      // `_name` marks a destructured field left out on purpose (`{ series: _series, ...rest }`)
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: NODE_GLOBALS },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { ...NODE_GLOBALS, require: 'readonly', module: 'writable', __dirname: 'readonly' },
    },
  },
);
