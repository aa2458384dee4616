import 'reflect-metadata';
import type { Server } from 'node:http';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from 'pino';
import { createApp } from './app.factory.js';
import { createLogger } from './common/logging/logger.js';
import { AppConfig } from './config/app-config.js';
import { lockDataDir } from './database/data-dir-lock.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './database/embedded-postgres.js';
import { problems, startupLine } from './database/startup-problem.js';
import { LiveGateway } from './realtime/live.gateway.js';

/** Whether the forum's own HTTP port is free, asked before anything else is started. */
function assertPortFree(port: number, host: string): Promise<void> {
  if (!port) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? problems.portTaken(port, host) : err));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/**
 * `npm start`: one process serving the API, the live channel and the web client, on the
 * PostgreSQL of DATABASE_URL or on an embedded one whose data lives in DATA_DIR. Whatever stops
 * it at start-up is one line on stderr with the remedy, and exit code 1.
 */
async function main(): Promise<void> {
  let embedded: EmbeddedDatabase | null = null;
  let unlock: (() => void) | null = null;
  let config: AppConfig | null = null;
  let logger: Logger | null = null;
  let shuttingDown = false;
  // (Before the configuration is read, the error names DATA_DIR as the environment gave it.)
  const ctx = () => ({ dataDir: config?.dataDir ?? path.resolve(process.env.DATA_DIR || './.data'), port: config?.env.PORT, host: config?.env.HOST });
  const fail = async (err: unknown) => {
    await embedded?.stop().catch(() => undefined);
    unlock?.();
    logger?.debug({ err }, 'start-up failed');
    // One sentence with its remedy; the details are in the debug log, never a stack trace here.
    console.error(startupLine(err, ctx()));
    process.exit(1);
  };
  // Until the server listens, a signal means: stop what was started, and go.
  const early = (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    void (async () => {
      await embedded?.stop().catch(() => undefined);
      unlock?.();
      logger?.info({ signal }, 'stopped before serving');
      process.exit(0);
    })();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, early);

  let app: Awaited<ReturnType<typeof createApp>>;
  try {
    config = new AppConfig();
    logger = createLogger(config.env.LOG_LEVEL);
    await assertPortFree(config.env.PORT, config.env.HOST);
    let url = config.env.DATABASE_URL;
    if (!url) {
      unlock = lockDataDir(config.dataDir);
      const log = logger;
      embedded = await startEmbeddedPostgres({
        dataDir: config.dataDir,
        port: config.env.EMBEDDED_PG_PORT,
        onLog: (l) => log.debug({ context: 'postgres' }, l),
        supervise: {
          onCrash: ({ pid, code, signal }) => log.error({ pid, code, signal }, 'embedded PostgreSQL stopped unexpectedly; restarting it'),
          onRestart: ({ pid, attempts, ms }) => log.warn({ pid, attempts, ms }, 'embedded PostgreSQL restarted'),
          onRestartFailed: ({ attempt, reason }) => log.error({ attempt, reason }, 'embedded PostgreSQL did not restart yet; trying again'),
        },
      });
      if (shuttingDown) return;
      url = embedded.url;
      logger.info({ port: embedded.port, dataDir: embedded.dataDir }, 'embedded PostgreSQL started');
    }
    app = await createApp(config, url, logger);
    if (shuttingDown) return;
  } catch (err) {
    return fail(err);
  }
  const log = logger;
  /**
   * SIGTERM/SIGINT/SIGHUP: stop listening, send live viewers to reconnect elsewhere, let the
   * requests in flight finish (idle keep-alive connections are closed as they fall idle), then
   * close the application (its database pool last) and stop the embedded PostgreSQL cleanly. The
   * embedded PostgreSQL runs in a process group of its own, so Ctrl-C in a terminal reaches this
   * process only, and the database stops after the drain, not before.
   */
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal }, 'shutting down: draining requests and sockets');
    const force = setTimeout(() => {
      log.error('shutdown took longer than 20 s; exiting');
      process.exit(1);
    }, 20_000);
    force.unref();
    try {
      await drainHttp(app.getHttpServer() as Server, () => app.get(LiveGateway).sendViewersAway(), log);
      await app.close();
    } catch (err) {
      log.error({ err }, 'error while closing');
    }
    await embedded?.stop().catch((err) => log.error({ err }, 'PostgreSQL did not stop cleanly'));
    unlock?.();
    log.info('stopped');
    process.exit(0);
  };
  // The signals belong to this sequence alone: Nest's shutdown hooks would close the pool while
  // requests are in flight.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void shutdown(signal));
  }

  try {
    await app.listen(config.env.PORT, config.env.HOST);
  } catch (err) {
    await app.close().catch(() => undefined);
    return fail(err);
  }
  log.info(`consultation forum on http://localhost:${config.env.PORT}`);
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

void main().catch((err) => {
  console.error(startupLine(err, {}));
  process.exit(1);
});
