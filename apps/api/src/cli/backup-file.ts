import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { migrations } from '../../../../migrations/index.js';
import { dataSourceOptions } from '../database/data-source-options.js';

/**
 * The forum's backup file: gzip of
 *   line 1   a JSON header: format, version, time, the migrations the schema was at, the tables
 *            (in dependency order) with their columns
 *   then     per table, its rows in COPY text format (ordered by primary key), ended by `\.`
 *            (a line COPY never writes: a backslash in data is always escaped)
 *   last     a JSON trailer: rows per table and the SHA-256 of everything before it.
 * Written over an ordinary connection inside one REPEATABLE READ transaction (a consistent
 * snapshot, so the forum may keep running), because the embedded PostgreSQL ships no pg_dump.
 * Given DATABASE_URL and a pg_dump as new as the server, pg_dump's custom format is used instead.
 */
export const BACKUP_FORMAT = 'consultation-forum-backup';
export const BACKUP_VERSION = 1;
/** TypeORM's own bookkeeping: rebuilt by running the migrations, never copied. */
const MIGRATIONS_TABLE = 'migrations';
const END_OF_TABLE = '\\.';

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  server: string;
  migrations: string[];
  tables: { name: string; columns: string[] }[];
}

export interface BackupTrailer {
  rows: Record<string, number>;
  sha256: string;
}

export interface BackupSummary {
  file: string;
  tool: 'logical' | 'pg_dump';
  tables: number;
  rows: Record<string, number>;
  bytes: number;
}

export const migrationNames = (): string[] => migrations.map((M) => new M().name ?? M.name);
const q = (ident: string) => `"${ident.replace(/"/g, '""')}"`;

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: 'consultation-forum-backup' });
  await client.connect();
  return client;
}

/** Every table of the public schema but TypeORM's, parents before children (foreign keys). */
async function tablesInDependencyOrder(client: pg.Client): Promise<{ name: string; columns: string[]; key: string[] }[]> {
  const { rows: tables } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> $1 ORDER BY c.relname`,
    [MIGRATIONS_TABLE],
  );
  const { rows: deps } = await client.query<{ child: string; parent: string }>(
    `SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k
       JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE k.contype = 'f' AND n.nspname = 'public' AND c.oid <> p.oid`,
  );
  const names = tables.map((t) => t.name);
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (t: string) => {
    if (ordered.includes(t) || visiting.has(t)) return;
    visiting.add(t);
    for (const d of deps) if (d.child === t && names.includes(d.parent)) visit(d.parent);
    visiting.delete(t);
    ordered.push(t);
  };
  names.forEach(visit);

  const out = [];
  for (const name of ordered) {
    const { rows: cols } = await client.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`,
      [name],
    );
    const { rows: key } = await client.query<{ attname: string }>(
      `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
      [`public.${q(name)}`],
    );
    out.push({ name, columns: cols.map((c) => c.column_name), key: key.map((k) => k.attname) });
  }
  return out;
}

async function serverMajor(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`);
  return Math.floor(Number(rows[0]!.v) / 10000);
}

/** The major version of the pg_dump on PATH, or null when there is none. */
function pgDumpMajor(tool: 'pg_dump' | 'pg_restore'): number | null {
  try {
    const out = execFileSync(tool, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const m = /(\d+)(?:\.\d+)?/.exec(out);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** A gzip writer that also hashes what it is given. */
class HashedGzipWriter {
  private readonly hash = createHash('sha256');
  private readonly gzip = createGzip({ level: 6 });
  private readonly done: Promise<void>;
  bytes = 0;

  constructor(file: string) {
    this.done = pipeline(this.gzip, createWriteStream(file, { mode: 0o600 }));
  }

  async write(chunk: Buffer | string, hashed = true): Promise<void> {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (hashed) this.hash.update(buf);
    this.bytes += buf.length;
    if (!this.gzip.write(buf)) await once(this.gzip, 'drain');
  }

  digest(): string {
    return this.hash.digest('hex');
  }

  async close(): Promise<void> {
    this.gzip.end();
    await this.done;
  }
}

/** Writes a backup of the database at `url` to `file` (atomically: a partial file never has the final name). */
export async function backup(url: string, file: string, opts: { tool?: 'auto' | 'logical' | 'pg_dump' } = {}): Promise<BackupSummary> {
  const client = await connect(url);
  const partial = `${file}.partial`;
  try {
    const major = await serverMajor(client);
    const dump = pgDumpMajor('pg_dump');
    // 'auto' (a server of the operator's own, DATABASE_URL): its pg_dump when one as new as the server is on PATH.
    const wantDump = opts.tool === 'pg_dump' || (opts.tool === 'auto' && dump !== null && dump >= major);
    if (wantDump) {
      if (dump === null || dump < major) throw new Error(`pg_dump ${dump ?? '(none)'} cannot dump a PostgreSQL ${major} server`);
      const rows = await countRows(client);
      const r = spawnSync('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${partial}`, url], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`pg_dump failed: ${r.stderr}`);
      renameSync(partial, file);
      const bytes = statSync(file).size;
      return { file, tool: 'pg_dump', tables: Object.keys(rows).length, rows, bytes };
    }

    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const tables = await tablesInDependencyOrder(client);
    const applied = (await client.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`)).rows.map((r) => r.name);
    const { rows: v } = await client.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
    const header: BackupHeader = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: new Date().toISOString(),
      server: v[0]!.v,
      migrations: applied,
      tables: tables.map((t) => ({ name: t.name, columns: t.columns })),
    };
    const out = new HashedGzipWriter(partial);
    const rows: Record<string, number> = {};
    try {
      await out.write(`${JSON.stringify(header)}\n`);
      for (const t of tables) {
        const order = t.key.length > 0 ? ` ORDER BY ${t.key.map(q).join(', ')}` : '';
        const stream = client.query(copyStreams.to(`COPY (SELECT ${t.columns.map(q).join(', ')} FROM public.${q(t.name)}${order}) TO STDOUT`));
        let n = 0;
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          for (const byte of chunk) if (byte === 0x0a) n += 1;
          await out.write(chunk);
        }
        rows[t.name] = n;
        await out.write(`${END_OF_TABLE}\n`);
      }
      const trailer: BackupTrailer = { rows, sha256: out.digest() };
      await out.write(`${JSON.stringify(trailer)}\n`, false);
    } finally {
      await out.close();
    }
    await client.query('COMMIT');
    renameSync(partial, file);
    return { file, tool: 'logical', tables: tables.length, rows, bytes: out.bytes };
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  } finally {
    await client.end();
  }
}

async function countRows(client: pg.Client): Promise<Record<string, number>> {
  const rows: Record<string, number> = {};
  for (const t of await tablesInDependencyOrder(client)) {
    const { rows: r } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM public.${q(t.name)}`);
    rows[t.name] = Number(r[0]!.n);
  }
  return rows;
}

/** Splits a byte stream into lines (without the newline). */
async function* lines(stream: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of stream) {
    let buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let i = buf.indexOf(0x0a); i !== -1; i = buf.indexOf(0x0a, start)) {
      yield buf.subarray(start, i);
      start = i + 1;
    }
    rest = Buffer.from(buf.subarray(start));
    buf = rest;
  }
  if (rest.length) yield rest;
}

export interface RestoreSummary {
  tool: 'logical' | 'pg_dump';
  rows: Record<string, number>;
  migrationsAfter: number;
}

/** True when the file is pg_dump's custom format rather than ours. */
function isPgDumpFile(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(5);
    readSync(fd, buf, 0, 5, 0);
    return buf.toString('latin1') === 'PGDMP';
  } finally {
    closeSync(fd);
  }
}

async function readHeader(file: string): Promise<BackupHeader> {
  for await (const line of lines(createReadStream(file).pipe(createGunzip()))) {
    const header = JSON.parse(line.toString('utf8')) as BackupHeader;
    if (header.format !== BACKUP_FORMAT) throw new Error('not a consultation forum backup');
    if (header.version !== BACKUP_VERSION) throw new Error(`backup format version ${header.version} is not supported`);
    return header;
  }
  throw new Error('empty backup file');
}

/** Other clients of the forum on this database: a restore under a running forum would mislead it. */
async function forumClients(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name LIKE 'consultation-forum%'`,
  );
  return rows[0]!.n;
}

/** Rows in the forum's tables now (0 for a fresh or wiped database). */
async function existingRows(client: pg.Client): Promise<number> {
  let n = 0;
  for (const t of await tablesInDependencyOrder(client)) {
    const { rows } = await client.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM public.${q(t.name)}) AS any`);
    if (rows[0]!.any) n += 1;
  }
  return n;
}

/** Drops every table and function of the public schema that is not an extension's. */
async function wipe(client: pg.Client): Promise<void> {
  await client.query('BEGIN');
  const { rows: tables } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')`,
  );
  for (const t of tables) if (t.name) await client.query(`DROP TABLE IF EXISTS public.${q(t.name)} CASCADE`);
  // Sequences and views not owned by a table.
  const { rows: rest } = await client.query<{ name: string; kind: string }>(
    `SELECT c.relname AS name, c.relkind AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm', 'S') AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')`,
  );
  for (const r of rest) await client.query(`DROP ${r.kind === 'S' ? 'SEQUENCE' : r.kind === 'm' ? 'MATERIALIZED VIEW' : 'VIEW'} IF EXISTS public.${q(r.name)} CASCADE`);
  const { rows: fns } = await client.query<{ sig: string }>(
    `SELECT p.oid::regprocedure::text AS sig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`,
  );
  for (const f of fns) await client.query(`DROP FUNCTION IF EXISTS ${f.sig} CASCADE`);
  await client.query('COMMIT');
}

/** Applies the migrations (all of them, or the first `upTo`) with TypeORM, as the API does at start. */
async function migrate(url: string, upTo?: number): Promise<number> {
  const list = upTo === undefined ? migrations : migrations.slice(0, upTo);
  const ds = new DataSource({ ...dataSourceOptions(url, 2), migrations: list, migrationsRun: false, extra: { max: 2, application_name: 'consultation-forum-backup' } });
  await ds.initialize();
  try {
    const ran = await ds.runMigrations({ transaction: 'each' });
    return ran.length;
  } finally {
    await ds.destroy();
  }
}

/**
 * Restores `file` into the database at `url`: refuses a database that holds data unless `wipe`
 * (then drops the forum's schema first), builds the schema the backup was taken at with the
 * migrations, loads every table in one transaction with triggers held off (the counts and logs
 * they keep are restored as they were), verifies the checksum before committing, resets identity
 * sequences, and finally applies any migration newer than the backup.
 */
export async function restore(url: string, file: string, opts: { wipe?: boolean; force?: boolean } = {}): Promise<RestoreSummary> {
  const client = await connect(url);
  try {
    if (!opts.force && (await forumClients(client)) > 0) {
      throw new Error('the forum is running on this database: stop it before restoring (or pass --force)');
    }
    const pgDump = isPgDumpFile(file);
    const header = pgDump ? null : await readHeader(file);
    if (header) {
      const known = migrationNames();
      const prefix = header.migrations.every((m, i) => known[i] === m);
      if (!prefix) throw new Error(`the backup's schema (${header.migrations.at(-1) ?? 'none'}) is not one this version knows; restore it with the version that wrote it`);
    }
    // A damaged file is found before anything is wiped.
    if (header) await verify(file, header);
    if ((await existingRows(client)) > 0 && !opts.wipe) {
      throw new Error('the database already holds forum data: restore into an empty database, or pass --wipe to replace it');
    }
    await wipe(client);

    if (pgDump) {
      const r = spawnSync('pg_restore', ['--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', `--dbname=${url}`, file], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`pg_restore failed: ${r.stderr}`);
      const migrationsAfter = await migrate(url);
      return { tool: 'pg_dump', rows: await countRows(client), migrationsAfter };
    }

    await migrate(url, header!.migrations.length);
    const rows = await load(client, file, header!);
    const migrationsAfter = await migrate(url);
    await client.query('ANALYZE');
    return { tool: 'logical', rows, migrationsAfter };
  } finally {
    await client.end();
  }
}

/** Reads the whole file once: structure, row counts and checksum as the trailer states them. */
export async function verify(file: string, header?: BackupHeader): Promise<BackupTrailer> {
  const h = header ?? (await readHeader(file));
  const hash = createHash('sha256');
  const input = lines(createReadStream(file).pipe(createGunzip()));
  let table = -1; // -1: the header line
  const rows: Record<string, number> = Object.fromEntries(h.tables.map((t) => [t.name, 0]));
  for await (const line of input) {
    if (table === h.tables.length) {
      const trailer = JSON.parse(line.toString('utf8')) as BackupTrailer;
      if (trailer.sha256 !== hash.digest('hex')) throw new Error('checksum mismatch: the backup file is damaged');
      for (const t of h.tables) if (rows[t.name] !== trailer.rows[t.name]) throw new Error(`row count of ${t.name} differs from the trailer: the backup file is damaged`);
      return trailer;
    }
    hash.update(line).update('\n');
    if (table === -1) table = 0;
    else if (line.length === 2 && line.toString('latin1') === END_OF_TABLE) table += 1;
    else if (table < h.tables.length) rows[h.tables[table]!.name]! += 1;
  }
  throw new Error('the backup is truncated');
}

async function load(client: pg.Client, file: string, header: BackupHeader): Promise<Record<string, number>> {
  const { rows: su } = await client.query<{ su: string }>(`SELECT current_setting('is_superuser') AS su`);
  const superuser = su[0]!.su === 'on';
  await client.query('BEGIN');
  try {
    // Triggers (counts, history, NOTIFY) must not fire: what they keep is in the backup already.
    if (superuser) await client.query(`SET LOCAL session_replication_role = replica`);
    else for (const t of header.tables) await client.query(`ALTER TABLE public.${q(t.name)} DISABLE TRIGGER USER`);

    const hash = createHash('sha256');
    const rows: Record<string, number> = {};
    const input = lines(createReadStream(file).pipe(createGunzip()));
    const first = await input.next();
    if (first.done) throw new Error('empty backup file');
    hash.update(first.value).update('\n');
    let trailer: BackupTrailer | null = null;
    for (const t of header.tables) {
      const sink: Writable = client.query(copyStreams.from(`COPY public.${q(t.name)} (${t.columns.map(q).join(', ')}) FROM STDIN`));
      const finished = once(sink, 'finish');
      let n = 0;
      let batch: Buffer[] = [];
      let size = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        if (!sink.write(Buffer.concat(batch))) await once(sink, 'drain');
        batch = [];
        size = 0;
      };
      for (;;) {
        const { value, done } = await input.next();
        if (done) throw new Error(`the backup ends inside table ${t.name}: truncated`);
        hash.update(value).update('\n');
        if (value.length === 2 && value.toString('latin1') === END_OF_TABLE) break;
        batch.push(value, Buffer.from('\n'));
        size += value.length + 1;
        n += 1;
        if (size > 1 << 20) await flush();
      }
      await flush();
      sink.end();
      await finished;
      rows[t.name] = n;
    }
    const last = await input.next();
    if (!last.done) trailer = JSON.parse(last.value.toString('utf8')) as BackupTrailer;
    if (!trailer) throw new Error('the backup has no trailer: truncated');
    if (trailer.sha256 !== hash.digest('hex')) throw new Error('checksum mismatch: the backup file is damaged');
    for (const [name, n] of Object.entries(trailer.rows)) if (rows[name] !== n) throw new Error(`row count of ${name} differs from the trailer`);

    // Identity and serial columns continue after the highest restored value.
    const { rows: seqs } = await client.query<{ tbl: string; col: string; seq: string }>(
      `SELECT c.relname AS tbl, a.attname AS col, pg_get_serial_sequence(format('public.%I', c.relname), a.attname) AS seq
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
          AND pg_get_serial_sequence(format('public.%I', c.relname), a.attname) IS NOT NULL`,
    );
    for (const s of seqs) {
      await client.query(
        `SELECT setval($1::regclass, coalesce((SELECT max(${q(s.col)}) FROM public.${q(s.tbl)}), 1), (SELECT max(${q(s.col)}) IS NOT NULL FROM public.${q(s.tbl)}))`,
        [s.seq],
      );
    }
    if (!superuser) for (const t of header.tables) await client.query(`ALTER TABLE public.${q(t.name)} ENABLE TRIGGER USER`);
    await client.query('COMMIT');
    return rows;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
