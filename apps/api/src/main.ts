import 'reflect-metadata';
import { createApp } from './app.factory.js';
import { createLogger } from './common/logging/logger.js';
import { AppConfig } from './config/app-config.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './database/embedded-postgres.js';

/**
 * `npm start`: one process serving the API, the live channel and the web client, on the
 * PostgreSQL of DATABASE_URL or on an embedded one whose data lives in DATA_DIR.
 */
async function main(): Promise<void> {
  const config = new AppConfig();
  const logger = createLogger(config.env.LOG_LEVEL);
  let embedded: EmbeddedDatabase | null = null;
  let url = config.env.DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.env.EMBEDDED_PG_PORT, onLog: (l) => logger.debug({ context: 'postgres' }, l) });
    url = embedded.url;
    logger.info({ port: embedded.port, dataDir: embedded.dataDir }, 'embedded PostgreSQL started');
  }

  let shuttingDown = false;
  const app = await createApp(config, url, logger).catch(async (err) => {
    await embedded?.stop();
    throw err;
  });
  // Nest's own hooks would race ours; the shutdown below closes the app once, then PostgreSQL.
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down: draining requests and sockets');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      await app.close();
    } catch (err) {
      logger.error({ err }, 'error while closing');
    }
    await embedded?.stop().catch((err) => logger.error({ err }, 'PostgreSQL did not stop cleanly'));
    logger.info('stopped');
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(signal));

  await app.listen(config.env.PORT, config.env.HOST);
  logger.info(`consultation forum on http://localhost:${config.env.PORT}`);
}

main().catch((err) => {
  // eslint-disable-next-line no-console
  console.error(err);
  process.exit(1);
});
