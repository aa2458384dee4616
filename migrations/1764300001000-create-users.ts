import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Participants with their stakeholder group and role, and rotating refresh tokens kept hashed. */
export class CreateUsers1764300001000 implements MigrationInterface {
  name = 'CreateUsers1764300001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email              text NOT NULL,
        password_hash      text NOT NULL,
        display_name       text NOT NULL,
        stakeholder_group  text NOT NULL CHECK (stakeholder_group IN ('government', 'industry', 'academia', 'civil_society')),
        organization       text,
        country            char(2),
        verified           boolean NOT NULL DEFAULT false,
        role               text NOT NULL DEFAULT 'participant' CHECK (role IN ('participant', 'moderator', 'admin')),
        suspended_until    timestamptz,
        created_at         timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_lower ON users (lower(email))`);
    await q.query(`
      CREATE TABLE refresh_tokens (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        family_id    uuid NOT NULL,
        token_hash   text NOT NULL UNIQUE,
        expires_at   timestamptz NOT NULL,
        used_at      timestamptz,
        revoked_at   timestamptz,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE refresh_tokens`);
    await q.query(`DROP TABLE users`);
  }
}
