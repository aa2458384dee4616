import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase } from '../support/app.js';

const run = promisify(execFile);
const CLI = path.resolve('apps/api/dist/apps/api/src/cli/import.js');

describe('npm run import', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'forum-import-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a two-language document and refuses the same slug twice', async () => {
    const zh = path.join(dir, 'doc.zh.md');
    const en = path.join(dir, 'doc.en.md');
    writeFileSync(zh, '# 数据治理草案\n\n一、总则。第一句。第二句。\n二、附则。第三句。\n');
    writeFileSync(en, '# Draft on data governance\n\n## 1. General\nFirst.\nSecond.\n\n## 2. Final\nThird.\n');
    const env = { ...process.env, DATABASE_URL: await createTestDatabase(), LOG_LEVEL: 'silent', JWT_SECRET: 'x'.repeat(40) };
    const first = await run(process.execPath, [CLI, zh, '--en', en, '--slug', 'data-draft', '--status', 'open'], { env });
    expect(first.stdout).toContain('imported data-draft (open): 2 items, 3 clauses');
    const second = run(process.execPath, [CLI, zh, '--slug', 'data-draft'], { env });
    await expect(second).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('already exists') });
    const bad = run(process.execPath, [CLI, zh, '--slug', 'Bad Slug'], { env });
    await expect(bad).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('slug') });
  }, 60_000);
});
