import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Role, StakeholderGroup } from '@forum/shared';
import type { DataSource, EntityManager } from 'typeorm';

/** A users row without its password hash: the hash is read by one method only. */
export interface UserRow {
  id: string;
  email: string;
  display_name: string;
  stakeholder_group: StakeholderGroup;
  organization: string | null;
  country: string | null;
  verified: boolean;
  role: Role;
  suspended_until: Date | null;
  created_at: Date;
}

const USER_COLUMNS = `id, email, display_name, stakeholder_group, organization, country, verified, role, suspended_until, created_at`;

export interface NewUser {
  email: string;
  passwordHash: string;
  displayName: string;
  stakeholderGroup: StakeholderGroup;
  organization: string | null;
  country: string | null;
  role?: Role;
}

export interface ProfileChanges {
  displayName?: string;
  stakeholderGroup?: StakeholderGroup;
  organization?: string | null;
  country?: string | null;
}

export interface UserSearch {
  q?: string;
  verified?: boolean;
  role?: Role;
  limit: number;
  offset: number;
}

type Db = DataSource | EntityManager;

/** TypeORM answers an UPDATE with [rows, rowCount]. */
const updated = <T>(result: [T[], number]): T | null => result[0][0] ?? null;

@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async findById(id: string, tx: Db = this.db): Promise<UserRow | null> {
    const rows: UserRow[] = await tx.query(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** The only read of a password hash: for checking a sign-in. */
  async findCredentials(email: string): Promise<(UserRow & { password_hash: string }) | null> {
    const rows: (UserRow & { password_hash: string })[] = await this.db.query(
      `SELECT ${USER_COLUMNS}, password_hash FROM users WHERE lower(email) = lower($1)`,
      [email],
    );
    return rows[0] ?? null;
  }

  /** The account of an address (any case), without its hash. */
  async findByEmail(email: string): Promise<UserRow | null> {
    const rows: UserRow[] = await this.db.query(`SELECT ${USER_COLUMNS} FROM users WHERE lower(email) = lower($1)`, [email]);
    return rows[0] ?? null;
  }

  /** The password hash of an account, for checking a password change. */
  async findPasswordHash(id: string): Promise<string | null> {
    const rows: { password_hash: string }[] = await this.db.query(`SELECT password_hash FROM users WHERE id = $1`, [id]);
    return rows[0]?.password_hash ?? null;
  }

  async setPasswordHash(tx: Db, id: string, passwordHash: string): Promise<void> {
    await tx.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [id, passwordHash]);
  }

  /** Throws the database's unique violation when the address is taken in any case. */
  async insert(tx: Db, u: NewUser): Promise<UserRow> {
    const rows: UserRow[] = await tx.query(
      `INSERT INTO users (email, password_hash, display_name, stakeholder_group, organization, country, role)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       RETURNING ${USER_COLUMNS}`,
      [u.email, u.passwordHash, u.displayName, u.stakeholderGroup, u.organization, u.country, u.role ?? 'participant'],
    );
    return rows[0]!;
  }

  /**
   * The first administrator, created only if the address is new; an account that holds it
   * already is never touched (null). One statement, so two processes starting together, or a
   * sign-up racing the start, cannot both end up with it.
   */
  async insertAdminIfAbsent(u: NewUser): Promise<UserRow | null> {
    const rows: UserRow[] = await this.db.query(
      `INSERT INTO users (email, password_hash, display_name, stakeholder_group, organization, country, role)
       VALUES ($1, $2, $3, $4, $5, $6, 'admin')
       ON CONFLICT ((lower(email))) DO NOTHING
       RETURNING ${USER_COLUMNS}`,
      [u.email, u.passwordHash, u.displayName, u.stakeholderGroup, u.organization, u.country],
    );
    return rows[0] ?? null;
  }

  /**
   * A participant's own profile. A new stakeholder group or a new organisation clears
   * `verified`: the verification was of the old group and organisation (SET reads the old row,
   * so the CASE compares with the old values).
   */
  async updateProfile(tx: Db, id: string, c: ProfileChanges): Promise<UserRow | null> {
    const sets: string[] = [];
    const params: unknown[] = [id];
    const set = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    const keepsVerification: string[] = [];
    if (c.stakeholderGroup !== undefined) {
      params.push(c.stakeholderGroup);
      keepsVerification.push(`stakeholder_group = $${params.length}`);
      sets.push(`stakeholder_group = $${params.length}`);
    }
    if (c.organization !== undefined) {
      params.push(c.organization);
      keepsVerification.push(`organization IS NOT DISTINCT FROM $${params.length}::text`);
      sets.push(`organization = $${params.length}`);
    }
    if (keepsVerification.length > 0) sets.push(`verified = CASE WHEN ${keepsVerification.join(' AND ')} THEN verified ELSE false END`);
    if (c.displayName !== undefined) set('display_name', c.displayName);
    if (c.country !== undefined) set('country', c.country);
    if (sets.length === 0) return this.findById(id, tx);
    return updated<UserRow>(await tx.query(`UPDATE users SET ${sets.join(', ')} WHERE id = $1 RETURNING ${USER_COLUMNS}`, params));
  }

  async setVerified(tx: Db, id: string, verified: boolean): Promise<UserRow | null> {
    return updated<UserRow>(await tx.query(`UPDATE users SET verified = $2 WHERE id = $1 RETURNING ${USER_COLUMNS}`, [id, verified]));
  }

  async setRole(tx: Db, id: string, role: Role): Promise<UserRow | null> {
    return updated<UserRow>(await tx.query(`UPDATE users SET role = $2 WHERE id = $1 RETURNING ${USER_COLUMNS}`, [id, role]));
  }

  async setSuspendedUntil(tx: Db, id: string, until: Date | null): Promise<UserRow | null> {
    return updated<UserRow>(await tx.query(`UPDATE users SET suspended_until = $2 WHERE id = $1 RETURNING ${USER_COLUMNS}`, [id, until]));
  }

  /** Locks every administrator row (in id order, so concurrent callers queue instead of deadlocking) and counts them. */
  async lockAdmins(tx: Db): Promise<string[]> {
    const rows: { id: string }[] = await tx.query(`SELECT id FROM users WHERE role = 'admin' ORDER BY id FOR UPDATE`);
    return rows.map((r) => r.id);
  }

  async lockUser(tx: Db, id: string): Promise<UserRow | null> {
    const rows: UserRow[] = await tx.query(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ?? null;
  }

  /** Search by name, e-mail or organisation (substring, any case), newest first. */
  async search(s: UserSearch): Promise<{ rows: UserRow[]; total: number }> {
    const pattern = s.q ? `%${s.q.replace(/[\\%_]/g, '\\$&')}%` : null;
    const where = `($1::text IS NULL OR display_name ILIKE $1 OR email ILIKE $1 OR organization ILIKE $1)
       AND ($2::boolean IS NULL OR verified = $2)
       AND ($3::text IS NULL OR role = $3)`;
    const params = [pattern, s.verified ?? null, s.role ?? null];
    const [rows, count] = await Promise.all([
      this.db.query(`SELECT ${USER_COLUMNS} FROM users WHERE ${where} ORDER BY created_at DESC, id LIMIT $4 OFFSET $5`, [...params, s.limit, s.offset]) as Promise<UserRow[]>,
      this.db.query(`SELECT count(*)::int AS n FROM users WHERE ${where}`, params) as Promise<{ n: number }[]>,
    ]);
    return { rows, total: count[0]?.n ?? 0 };
  }
}
