// `npm test`: builds what the tests run against, runs every suite once, and ends with one plain
// line "N passed, N failed, N skipped" over all of them (CI reads that line).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What `npm run lint` and `npm test` lint. */
const LINTED = ['apps/api/src', 'apps/web/src', 'libs/shared/src'];

const projects = ['shared', 'api', ...(existsSync('apps/web/project.json') ? ['web'] : [])];
const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', `--projects=${projects.join(',')}`, '--outputStyle=static'], { stdio: 'inherit' });
if (build.status !== 0) {
  console.log('0 passed, 1 failed, 0 skipped');
  console.error('build failed');
  process.exit(1);
}

// The boundaries of the house (eslint.config.mjs): a lint failure is one failed suite, and the tests still run.
const lint = spawnSync('npx', ['eslint', ...LINTED], { stdio: 'inherit' });
const lintFailed = lint.status !== 0;
if (lintFailed) console.error('lint failed: the import boundaries above are broken (npm run lint)');

const dir = mkdtempSync(path.join(os.tmpdir(), 'forum-test-report-'));
const report = path.join(dir, 'vitest.json');
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];
const run = spawnSync('npx', args, { stdio: 'inherit' });

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests ?? 0;
  // skipped, todo and pending alike: a test that did not run is counted, not hidden
  skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  failed = (r.numFailedTests ?? 0) + (r.numFailedTestSuites && !r.numFailedTests ? r.numFailedTestSuites : 0);
} else {
  failed = 1;
}
if (run.status !== 0 && failed === 0) failed = 1; // an error outside a test (setup, unhandled rejection)
if (lintFailed) failed += 1;
rmSync(dir, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 && run.status === 0 ? 0 : 1);
