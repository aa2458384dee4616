import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../apps/api/src/database/embedded-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

/**
 * One real PostgreSQL for the run: the embedded one in a fresh directory, or the server of
 * TEST_DATABASE_URL (CI uses it to cover a second server version). Each test file creates its
 * own database in it.
 */
export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    project.provide('pgAdminUrl', external);
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'forum-test-pg-'));
  // As `npm start` does: a generated superuser password kept in dir/pg-password (in the URL),
  // PostgreSQL's binaries moved where its user can reach them when run as root from a closed folder.
  const pg = await startEmbeddedPostgres({ dataDir: dir, port: 0 });
  project.provide('pgAdminUrl', pg.url.replace(/\/forum$/, '/postgres'));
  return async () => {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
