// The boundaries of the house, enforced by the build (npm test and npm run lint run this):
//  - a domain module asks another through its exported service, never through its repository;
//  - domain modules never import the live channel (realtime/ reads the outbox, modules write it);
//  - libs/shared imports no app; the web client imports nothing of the API.
// Import restrictions only (no type information), so the whole tree lints in a few seconds.
import { readdirSync } from 'node:fs';
import tsParser from '@typescript-eslint/parser';

const MODULES_DIR = 'apps/api/src/modules';
/** Every domain module, read from the tree, so a new module is covered the day it is added. */
const modules = readdirSync(new URL(`./${MODULES_DIR}`, import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

export const MESSAGES = {
  repository: 'ask another module through its exported service, never through its repository (each module owns its tables)',
  realtime: 'domain modules never import the live channel: write through the write unit (database/consultation-writes.ts); realtime reads the outbox',
  sharedImportsApp: 'libs/shared is below the apps: it must not import from apps/',
  webImportsApi: 'the web client talks to the API over HTTP and the live channel: it must not import apps/api',
};

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `no-restricted-imports` for the files of `files`, refusing each import whose path matches one of `rules`. */
const restrict = (files, rules) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: rules.map(([regex, message]) => ({ regex, message })) }] },
});

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.nx/**', 'apps/web/public/**'] },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    languageOptions: { parser: tsParser, parserOptions: { ecmaVersion: 'latest', sourceType: 'module', ecmaFeatures: { jsx: true } } },
  },
  // One block per module: the repositories of every other module are out of reach (relative or by path).
  ...modules.map((own) =>
    restrict(
      [`${MODULES_DIR}/${own}/**/*.{ts,tsx}`],
      [
        // '../<b>/<b>.repository.js', or any path through 'modules/<b>/'
        [`(^(\\.\\./)+|(^|/)modules/)(?!${escape(own)}/)[^/]+/[^/]*\\.repository(\\.js)?$`, MESSAGES.repository],
        ['(^|/)realtime(/|$)', MESSAGES.realtime],
      ],
    ),
  ),
  restrict(['libs/shared/**/*.{ts,tsx}'], [['(^|/)apps/', MESSAGES.sharedImportsApp]]),
  restrict(['apps/web/**/*.{ts,tsx}'], [['(^|/)apps/api(/|$)|(^|/)api/src/', MESSAGES.webImportsApi]]),
];
