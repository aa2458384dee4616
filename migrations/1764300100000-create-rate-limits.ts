import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Abuse limits shared by every API process: one counter per (bucket, key) in a fixed window.
 * UNLOGGED: the counters are worth nothing after a crash, and skipping the WAL keeps each hit cheap.
 * Keys are hashes (of an address, an e-mail or a user id), never the raw value.
 */
export class CreateRateLimits1764300100000 implements MigrationInterface {
  name = 'CreateRateLimits1764300100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE rate_limits (
        bucket        text        NOT NULL,
        key           text        NOT NULL,
        window_start  timestamptz NOT NULL,
        hits          int         NOT NULL,
        PRIMARY KEY (bucket, key)
      )`);
    await q.query(`CREATE INDEX rate_limits_window ON rate_limits (window_start)`);
    // Reuse detection looks tokens up by hash (unique already); logout and reuse revoke by family.
    await q.query(`CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX refresh_tokens_user`);
    await q.query(`DROP TABLE rate_limits`);
  }
}
