import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { RegisterInput, UserView } from '@forum/shared';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { TokenService } from '../../common/auth/token.service.js';
import { conflict, unauthenticated } from '../../common/errors/domain-error.js';
import { AppConfig } from '../../config/app-config.js';
import { pgCode, PG } from '../../database/transaction.js';
import { PasswordHasher } from './password-hasher.js';
import { toUserView } from './participants.mapper.js';
import { RefreshTokensRepository } from './refresh-tokens.repository.js';
import { type UserRow, UsersRepository } from './users.repository.js';

/** What a sign-up, sign-in or refresh hands out: the refresh token goes into a cookie, the rest into the body. */
export interface Session {
  accessToken: string;
  expiresIn: number;
  user: UserView;
  refreshToken: string;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const newRefreshToken = () => randomBytes(32).toString('base64url');
/** A refresh token as issued: 43 base64url characters. Anything else is not looked up. */
const REFRESH_TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Accounts and sessions. Access tokens are short-lived JWTs; refresh tokens are random, kept
 * as SHA-256 hashes, rotated on every use, and grouped in a family per sign-in so that the reuse
 * of a rotated token (a stolen copy, or the thief's) revokes the whole family.
 */
@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly users: UsersRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly passwords: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async register(input: RegisterInput): Promise<Session> {
    const passwordHash = await this.passwords.hash(input.password);
    const refreshToken = newRefreshToken();
    const sessionId = randomUUID();
    try {
      const user = await this.db.transaction(async (tx) => {
        const row = await this.users.insert(tx, {
          email: input.email,
          passwordHash,
          displayName: input.displayName,
          stakeholderGroup: input.stakeholderGroup,
          organization: input.organization ?? null,
          country: input.country ?? null,
        });
        await this.storeRefreshToken(tx, row.id, sessionId, refreshToken);
        return row;
      });
      this.logger.log(`registered participant ${user.id} (${user.stakeholder_group})`);
      return this.session(user, sessionId, refreshToken);
    } catch (err) {
      if (pgCode(err) === PG.uniqueViolation) throw conflict('an account with this e-mail address already exists');
      throw err;
    }
  }

  /** The account if the password is right, else null; an unknown address takes as long as a wrong password. */
  async validateCredentials(email: string, password: string): Promise<UserRow | null> {
    const found = await this.users.findCredentials(email);
    const ok = await this.passwords.verify(found?.password_hash ?? null, password);
    if (!found || !ok) return null;
    const { password_hash: _omit, ...user } = found;
    return user;
  }

  /** A new token family for a fresh sign-in. */
  async startSession(user: UserRow): Promise<Session> {
    const refreshToken = newRefreshToken();
    const sessionId = randomUUID();
    await this.storeRefreshToken(this.db, user.id, sessionId, refreshToken);
    void this.refreshTokens.deleteExpired(user.id).catch(() => undefined);
    return this.session(user, sessionId, refreshToken);
  }

  /**
   * Rotates a refresh token. The row lock makes concurrent uses of one token queue: the first
   * rotates it, the next sees it used — a reuse — and revokes the family.
   */
  async refresh(token: string | undefined): Promise<Session> {
    if (!token || !REFRESH_TOKEN_SHAPE.test(token)) throw unauthenticated('no valid refresh token');
    const next = newRefreshToken();
    const outcome = await this.db.transaction(async (tx) => {
      const row = await this.refreshTokens.lockByHash(tx, hashToken(token));
      if (!row || row.revoked_at) return { kind: 'invalid' as const };
      if (row.used_at) {
        await this.refreshTokens.revokeFamily(tx, row.family_id);
        return { kind: 'reused' as const, userId: row.user_id };
      }
      if (row.expired) return { kind: 'invalid' as const };
      const user = await this.users.findById(row.user_id, tx);
      if (!user) return { kind: 'invalid' as const };
      await this.refreshTokens.markUsed(tx, row.id);
      await this.storeRefreshToken(tx, user.id, row.family_id, next);
      return { kind: 'ok' as const, user, sessionId: row.family_id };
    });
    if (outcome.kind === 'reused') {
      this.logger.warn(`refresh token reused for user ${outcome.userId}: its session was revoked`);
      throw unauthenticated('refresh token already used; the session has been revoked, sign in again');
    }
    if (outcome.kind !== 'ok') throw unauthenticated('refresh token invalid, expired or revoked');
    return this.session(outcome.user, outcome.sessionId, next);
  }

  /**
   * Ends the session the refresh token belongs to (its whole family): its access tokens stop
   * working at once. Without a refresh token, the session of the access token sent along ends
   * instead. Unknown tokens are ignored.
   */
  async logout(token: string | undefined, accessSessionId?: string): Promise<void> {
    const row = token && REFRESH_TOKEN_SHAPE.test(token) ? await this.refreshTokens.findByHash(hashToken(token)) : null;
    const sessionId = row?.family_id ?? accessSessionId;
    if (sessionId) await this.refreshTokens.revokeFamily(this.db, sessionId);
  }

  private storeRefreshToken(tx: DataSource | EntityManager, userId: string, familyId: string, token: string) {
    return this.refreshTokens.insert(tx, { userId, familyId, tokenHash: hashToken(token), ttlDays: this.config.env.REFRESH_TOKEN_TTL_DAYS });
  }

  private session(user: UserRow, sessionId: string, refreshToken: string): Session {
    return {
      accessToken: this.tokens.issueAccessToken({ id: user.id, role: user.role, sessionId }),
      expiresIn: this.config.env.ACCESS_TOKEN_TTL_SECONDS,
      user: toUserView(user),
      refreshToken,
    };
  }
}
