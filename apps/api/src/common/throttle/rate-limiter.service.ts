import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** The named limits; each counts in its own bucket. */
export type RateBucket =
  | 'register-ip'
  | 'login-ip'
  /** failed sign-ins per (account, address) */
  | 'login-account-address'
  /** failed sign-ins per account from devices it has not signed in on: the per-account ceiling */
  | 'login-account'
  /** failed sign-ins per device cookie (a device the account signed in on before) */
  | 'login-device'
  /** failed password changes per participant */
  | 'password-change'
  /** reset-link uses per address */
  | 'password-reset-ip'
  /** reset-link requests per address, and mails per account */
  | 'password-reset-request-ip'
  | 'password-reset-mail'
  /** downloads of an export per address */
  | 'export-ip'
  | 'write-user';

export interface RateResult {
  allowed: boolean;
  /** Hits in the current window, this one included. */
  hits: number;
  /** Whole seconds until the window ends (at least 1): the Retry-After of a refusal. */
  retryAfter: number;
}

const SWEEP_INTERVAL_MS = 60_000;

/**
 * Fixed-window counters in PostgreSQL, so the limits hold across every API process (one
 * atomic upsert per hit; no read-then-write race). Keys are hashed before they are stored.
 */
@Injectable()
export class RateLimiter implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('RateLimiter');
  private sweeper: NodeJS.Timeout | null = null;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  onModuleInit(): void {
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  /** Counts one hit; `allowed` is false once the window holds more than `limit` hits. */
  async consume(bucket: RateBucket, key: string, limit: number, windowSeconds = 60): Promise<RateResult> {
    const rows: { hits: number; ttl: number }[] = await this.db.query(
      `INSERT INTO rate_limits AS r (bucket, key, window_start, hits)
       VALUES ($1, $2, now(), 1)
       ON CONFLICT (bucket, key) DO UPDATE SET
         window_start = CASE WHEN r.window_start <= now() - make_interval(secs => $3) THEN now() ELSE r.window_start END,
         hits         = CASE WHEN r.window_start <= now() - make_interval(secs => $3) THEN 1 ELSE r.hits + 1 END
       RETURNING hits, EXTRACT(EPOCH FROM (window_start + make_interval(secs => $3) - now()))::float8 AS ttl`,
      [bucket, hashKey(key), windowSeconds],
    );
    const { hits, ttl } = rows[0]!;
    return { allowed: hits <= limit, hits, retryAfter: Math.max(1, Math.ceil(ttl)) };
  }

  /** Takes back one hit of the current window (a sign-in that turned out to succeed). */
  async refund(bucket: RateBucket, key: string): Promise<void> {
    await this.db.query(`UPDATE rate_limits SET hits = hits - 1 WHERE bucket = $1 AND key = $2 AND hits > 0`, [bucket, hashKey(key)]);
  }

  /** Windows older than an hour are over for every limit in use. */
  private async sweep(): Promise<void> {
    try {
      await this.db.query(`DELETE FROM rate_limits WHERE window_start < now() - interval '1 hour'`);
    } catch (err) {
      this.logger.warn(`sweep failed: ${(err as Error).message}`);
    }
  }
}

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}
