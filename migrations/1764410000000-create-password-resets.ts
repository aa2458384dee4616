import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One-time password-reset links: issued by an administrator or mailed on request. Only the
 * SHA-256 hash of a token is kept (the link is shown or sent once); a token works until it is
 * used or expires, and a newer link for the same account replaces the older ones.
 */
export class CreatePasswordResets1764410000000 implements MigrationInterface {
  name = 'CreatePasswordResets1764410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE password_resets (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash  text NOT NULL UNIQUE,
        -- the administrator who issued it; null when the participant asked by e-mail
        issued_by   uuid REFERENCES users(id) ON DELETE SET NULL,
        expires_at  timestamptz NOT NULL,
        used_at     timestamptz,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX password_resets_user ON password_resets (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE password_resets`);
  }
}
