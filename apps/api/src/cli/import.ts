import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { importConsultationSchema } from '@forum/shared';
import { AppModule } from '../app.module.js';
import { DomainError } from '../common/errors/domain-error.js';
import { zodMessage } from '../common/errors/http-exception.filter.js';
import { AppConfig } from '../config/app-config.js';
import { startEmbeddedPostgres } from '../database/embedded-postgres.js';
import { ConsultationsService } from '../modules/consultations/consultations.service.js';
import { runCli } from './run-cli.js';

const USAGE = 'usage: npm run import -- FILE [--en FILE] --slug SLUG [--status draft|open|closed]';

/** `npm run import`: the importer behind POST /api/admin/consultations, as a command. */
async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { en: { type: 'string' }, slug: { type: 'string' }, status: { type: 'string' } },
  });
  if (positionals.length > 1 || (!positionals[0] && !values.en) || !values.slug) {
    console.error(USAGE);
    return 2;
  }
  const input = importConsultationSchema.safeParse({
    slug: values.slug,
    markdown: positionals[0] ? readFileSync(positionals[0], 'utf8') : undefined,
    markdownEn: values.en ? readFileSync(values.en, 'utf8') : undefined,
    status: values.status ?? 'draft',
  });
  if (!input.success) {
    console.error(zodMessage(input.error));
    return 2;
  }

  const config = new AppConfig({ ...process.env, SEED: 'false' });
  const embedded = config.env.DATABASE_URL
    ? null
    : await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.env.EMBEDDED_PG_PORT, whenRunning: 'borrow' });
  const url = config.env.DATABASE_URL ?? embedded!.url;
  const app = await NestFactory.createApplicationContext(AppModule.register(config, url), { logger: ['error', 'warn'] });
  try {
    const doc = await app.get(ConsultationsService).importFromInput(input.data);
    const clauses = doc.items.reduce((n, i) => n + i.clauses.length, 0);
    console.log(`imported ${doc.slug} (${doc.status}): ${doc.items.length} items, ${clauses} clauses`);
    return 0;
  } catch (err) {
    if (err instanceof DomainError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await app.close();
    await embedded?.stop();
  }
}

runCli('import', main);
