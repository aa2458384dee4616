import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../support/process.js';

/** PostgreSQL processes whose command line names this data directory. */
function postgresProcessesFor(dataDir: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', `postgres.*${dataDir}`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

describe('npm start, as a newcomer runs it', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'forum-lifecycle-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves the plan on an embedded PostgreSQL, keeps its data across a restart, seeds once and leaves no PostgreSQL behind', async () => {
    const env = { DATA_DIR: dataDir, EMBEDDED_PG_PORT: '0', ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'a-long-admin-password' };
    const first = await startServer(env);
    const doc = await (await fetch(`${first.base}/api/consultations/ai-governance-action-plan`)).json();
    expect(doc.items).toHaveLength(14);
    expect(doc.status).toBe('open');
    const page = await fetch(`${first.base}/consultations/ai-governance-action-plan/items/13`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(postgresProcessesFor(dataDir).length).toBeGreaterThan(0);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(postgresProcessesFor(dataDir)).toEqual([]);

    const second = await startServer(env);
    const list = await (await fetch(`${second.base}/api/consultations`)).json();
    expect(list).toHaveLength(1);
    expect(list[0].opensAt).toBe(doc.opensAt); // the same row, not a second seeding
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
    expect(postgresProcessesFor(dataDir)).toEqual([]);
  }, 180_000);
});
