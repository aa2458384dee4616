import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One number that moves whenever a participant's public profile changes (display name, group,
 * organisation, verified): part of the state an export is cached by, beside the consultation's
 * last_seq (which every comment, moderation, position and status change bumps). A counter row,
 * not a timestamp: the row lock orders the increments as the transactions commit, so a reader
 * never sees a newer number with older profiles (no row yet reads as 0). Profile changes are
 * rare; the lock costs nothing that matters.
 */
export class CreateProfileVersions1764440000000 implements MigrationInterface {
  name = 'CreateProfileVersions1764440000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE profile_versions (
        id       boolean PRIMARY KEY DEFAULT true CHECK (id),
        version  bigint  NOT NULL DEFAULT 0
      )`);
    await q.query(`
      CREATE FUNCTION profile_versions_bump() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- The row is created by the first change, not by this migration: a restore recreates the
        -- schema with the migrations and then loads every row, the counter's included.
        INSERT INTO profile_versions AS p (id, version) VALUES (true, 1)
          ON CONFLICT (id) DO UPDATE SET version = p.version + 1;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER users_profile_changed
        AFTER UPDATE OF display_name, stakeholder_group, organization, verified ON users
        FOR EACH ROW
        WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name
           OR OLD.stakeholder_group IS DISTINCT FROM NEW.stakeholder_group
           OR OLD.organization IS DISTINCT FROM NEW.organization
           OR OLD.verified IS DISTINCT FROM NEW.verified)
        EXECUTE FUNCTION profile_versions_bump()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER users_profile_changed ON users`);
    await q.query(`DROP FUNCTION profile_versions_bump()`);
    await q.query(`DROP TABLE profile_versions`);
  }
}
