import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every request asks whether its access token's session (a refresh-token family) is still live.
 * A partial index of the unrevoked tokens by family answers in one probe, and a signed-out
 * session's tokens (revoked, possibly thousands after a month of rotations) are not in it at all.
 */
export class IndexLiveSessions1764410100000 implements MigrationInterface {
  name = 'IndexLiveSessions1764410100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX refresh_tokens_live_family ON refresh_tokens (family_id, expires_at) WHERE revoked_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX refresh_tokens_live_family`);
  }
}
