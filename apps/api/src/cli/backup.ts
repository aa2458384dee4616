import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { backup } from './backup-file.js';
import { databaseTarget } from './database-target.js';
import { runCli } from './run-cli.js';

const USAGE = 'usage: npm run backup -- [FILE] [--tool auto|logical|pg_dump]';

/**
 * `npm run backup`: a consistent copy of the whole forum (the forum may keep running) into FILE,
 * by default DATA_DIR/backups/forum-<time>.backup. `npm run restore -- FILE` reads it back.
 */
async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { tool: { type: 'string' } } });
  const tool = values.tool ?? 'auto';
  if (positionals.length > 1 || !['auto', 'logical', 'pg_dump'].includes(tool)) {
    console.error(USAGE);
    return 2;
  }
  const target = await databaseTarget();
  try {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const file = path.resolve(positionals[0] ?? path.join(target.dataDir, 'backups', `forum-${stamp}.backup`));
    mkdirSync(path.dirname(file), { recursive: true });
    // The embedded server ships no pg_dump: its backups are always the logical kind.
    const s = await backup(target.url, file, { tool: target.external ? (tool as 'auto' | 'logical' | 'pg_dump') : tool === 'pg_dump' ? 'pg_dump' : 'logical' });
    const total = Object.values(s.rows).reduce((a, b) => a + b, 0);
    console.log(`backed up ${total} rows of ${s.tables} tables (${s.tool}, ${s.bytes} bytes) to ${s.file}`);
    return 0;
  } finally {
    await target.release();
  }
}

runCli('backup', main);
