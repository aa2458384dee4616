import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { restore } from './backup-file.js';
import { databaseTarget } from './database-target.js';
import { runCli } from './run-cli.js';

const USAGE = 'usage: npm run restore -- FILE [--wipe] [--force]\n' +
  '  --wipe   replace the data the database holds now (without it, only an empty database is restored into)\n' +
  '  --force  restore even though a forum process is connected (it will serve stale state until restarted)';

/** `npm run restore`: puts a backup of `npm run backup` back, with the forum stopped. */
async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { wipe: { type: 'boolean', default: false }, force: { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  const file = positionals[0]!;
  if (!existsSync(file)) {
    console.error(`no such file: ${file}`);
    return 2;
  }
  const target = await databaseTarget();
  try {
    const s = await restore(target.url, file, { wipe: values.wipe, force: values.force });
    const total = Object.values(s.rows).reduce((a, b) => a + b, 0);
    const newer = s.migrationsAfter > 0 ? `; ${s.migrationsAfter} newer migration(s) applied` : '';
    console.log(`restored ${total} rows of ${Object.keys(s.rows).length} tables (${s.tool}) from ${file}${newer}`);
    return 0;
  } finally {
    await target.release();
  }
}

runCli('restore', main);
