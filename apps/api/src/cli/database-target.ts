import { AppConfig } from '../config/app-config.js';
import { startEmbeddedPostgres } from '../database/embedded-postgres.js';

export interface DatabaseTarget {
  url: string;
  /** DATABASE_URL: the operator's own server (and its tools); otherwise the embedded one of DATA_DIR. */
  external: boolean;
  dataDir: string;
  release(): Promise<void>;
}

/**
 * The database a command works on, chosen as `npm start` chooses it: DATABASE_URL, or the
 * embedded PostgreSQL of DATA_DIR — used as it is when the forum is running on it, started for
 * the command (and stopped after) when it is not. Either way with the superuser's password kept in
 * DATA_DIR/pg-password, as `npm start` uses it (the same startEmbeddedPostgres).
 */
export async function databaseTarget(): Promise<DatabaseTarget> {
  const config = new AppConfig({ ...process.env, SEED: 'false' });
  if (config.env.DATABASE_URL) return { url: config.env.DATABASE_URL, external: true, dataDir: config.dataDir, release: async () => undefined };
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.env.EMBEDDED_PG_PORT, whenRunning: 'borrow' });
  return { url: embedded.url, external: false, dataDir: config.dataDir, release: () => embedded.stop() };
}
