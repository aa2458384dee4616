import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

export interface RefreshTokenRow {
  id: string;
  user_id: string;
  family_id: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
  /** Decided by the database clock, the one that wrote expires_at. */
  expired?: boolean;
}

type Db = DataSource | EntityManager;

/** Refresh tokens, stored as hashes only; one family per sign-in, one live token per family. */
@Injectable()
export class RefreshTokensRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(tx: Db, t: { userId: string; familyId: string; tokenHash: string; ttlDays: number }): Promise<void> {
    await tx.query(
      `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(days => $4))`,
      [t.userId, t.familyId, t.tokenHash, t.ttlDays],
    );
  }

  /** The token, locked until the transaction ends: concurrent refreshes with one token queue here. */
  async lockByHash(tx: Db, tokenHash: string): Promise<RefreshTokenRow | null> {
    const rows: RefreshTokenRow[] = await tx.query(
      `SELECT id, user_id, family_id, expires_at, used_at, revoked_at,
              (expires_at <= now()) AS expired
         FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  async findByHash(tokenHash: string): Promise<RefreshTokenRow | null> {
    const rows: RefreshTokenRow[] = await this.db.query(
      `SELECT id, user_id, family_id, expires_at, used_at, revoked_at FROM refresh_tokens WHERE token_hash = $1`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  async markUsed(tx: Db, id: string): Promise<void> {
    await tx.query(`UPDATE refresh_tokens SET used_at = now() WHERE id = $1`, [id]);
  }

  async revokeFamily(tx: Db, familyId: string): Promise<number> {
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [, count]: [unknown[], number] = await tx.query(
      `UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`,
      [familyId],
    );
    return count;
  }

  /** Ends every session of a user, or every one but `keepFamily` (the session that changed the password). */
  async revokeAllOfUser(tx: Db, userId: string, keepFamily?: string): Promise<number> {
    const [, count]: [unknown[], number] = await tx.query(
      `UPDATE refresh_tokens SET revoked_at = now()
        WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR family_id <> $2::uuid)`,
      [userId, keepFamily ?? null],
    );
    return count;
  }

  /** Expired tokens of a user; kept until then so that reuse of a rotated token is still recognised. */
  async deleteExpired(userId: string): Promise<void> {
    await this.db.query(`DELETE FROM refresh_tokens WHERE user_id = $1 AND expires_at < now()`, [userId]);
  }
}
