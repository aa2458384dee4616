import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';

type Db = DataSource | EntityManager;

export interface PasswordResetRow {
  id: string;
  user_id: string;
  issued_by: string | null;
  used_at: Date | null;
  /** Decided by the database clock, the one that wrote expires_at. */
  expired: boolean;
}

/** One-time password-reset links, stored as SHA-256 hashes of their tokens. */
@Injectable()
export class PasswordResetsRepository {
  /** A new link for the account; the account's earlier unused links stop working (only the latest counts). */
  async replace(tx: Db, r: { userId: string; tokenHash: string; issuedBy: string | null; ttlMinutes: number }): Promise<Date> {
    await tx.query(`DELETE FROM password_resets WHERE user_id = $1 AND used_at IS NULL`, [r.userId]);
    const rows: { expires_at: Date }[] = await tx.query(
      `INSERT INTO password_resets (user_id, token_hash, issued_by, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(mins => $4))
       RETURNING expires_at`,
      [r.userId, r.tokenHash, r.issuedBy, r.ttlMinutes],
    );
    return rows[0]!.expires_at;
  }

  /** The link, locked until the transaction ends: two uses of one link at once queue here, and one wins. */
  async lockByHash(tx: Db, tokenHash: string): Promise<PasswordResetRow | null> {
    const rows: PasswordResetRow[] = await tx.query(
      `SELECT id, user_id, issued_by, used_at, (expires_at <= now()) AS expired
         FROM password_resets WHERE token_hash = $1 FOR UPDATE`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  async markUsed(tx: Db, id: string): Promise<void> {
    await tx.query(`UPDATE password_resets SET used_at = now() WHERE id = $1`, [id]);
  }

  /** Once a link has set the password, any other open link of the account is void. */
  async deleteUnused(tx: Db, userId: string): Promise<void> {
    await tx.query(`DELETE FROM password_resets WHERE user_id = $1 AND used_at IS NULL`, [userId]);
  }
}
