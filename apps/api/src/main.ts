import 'reflect-metadata';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { createApp } from './app.factory.js';
import { createLogger } from './common/logging/logger.js';
import { AppConfig } from './config/app-config.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './database/embedded-postgres.js';
import { LiveGateway } from './realtime/live.gateway.js';

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
  /**
   * SIGTERM/SIGINT/SIGHUP: stop listening, send live viewers to reconnect elsewhere, let the
   * requests in flight finish (idle keep-alive connections are closed as they fall idle), then
   * close the application (its database pool last) and stop the embedded PostgreSQL cleanly.
   */
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down: draining requests and sockets');
    const force = setTimeout(() => {
      logger.error('shutdown took longer than 20 s; exiting');
      process.exit(1);
    }, 20_000);
    force.unref();
    try {
      await drainHttp(app.getHttpServer() as Server, () => app.get(LiveGateway).sendViewersAway(), logger);
      await app.close();
    } catch (err) {
      logger.error({ err }, 'error while closing');
    }
    await embedded?.stop().catch((err) => logger.error({ err }, 'PostgreSQL did not stop cleanly'));
    logger.info('stopped');
    process.exit(0);
  };
  // The signals belong to this sequence alone: Nest's shutdown hooks would close the pool while
  // requests are in flight, and embedded-postgres's exit hook would stop PostgreSQL at once.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void shutdown(signal));
  }

  await app.listen(config.env.PORT, config.env.HOST);
  logger.info(`consultation forum on http://localhost:${config.env.PORT}`);
}

/** Stops accepting connections and resolves once every request in flight has been answered (or after `graceMs`). */
async function drainHttp(server: Server, sendViewersAway: () => number, logger: Logger, graceMs = 10_000): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const viewers = sendViewersAway();
  // A keep-alive connection that just finished its last response is idle now: let it go too.
  const idle = setInterval(() => server.closeIdleConnections(), 100);
  const grace = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
  const outcome = await Promise.race([closed.then(() => 'drained' as const), grace]);
  clearInterval(idle);
  if (outcome === 'timeout') {
    logger.warn(`requests still open after ${graceMs} ms; closing their connections`);
    server.closeAllConnections();
    await closed;
  }
  logger.info({ viewers }, 'requests drained, viewers sent to reconnect');
}

main().catch((err) => {
  // eslint-disable-next-line no-console
  console.error(err);
  process.exit(1);
});
