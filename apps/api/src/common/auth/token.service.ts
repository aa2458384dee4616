import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { createSecretKey, type KeyObject } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import type { AccessTokenClaims, AuthUser } from './auth-user.js';

interface UserRow {
  id: string;
  role: AuthUser['role'];
  stakeholder_group: AuthUser['stakeholderGroup'];
  verified: boolean;
  display_name: string;
  organization: string | null;
  suspended_until: Date | null;
}

const USER_COLUMNS = `u.id, u.role, u.stakeholder_group, u.verified, u.display_name, u.organization, u.suspended_until`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Issues and checks access tokens; used by the HTTP strategy and the socket handshake alike.
 * An access token names its session (`sid`, the refresh-token family of the sign-in): once that
 * session is signed out, revoked (password change or reset, reuse of a rotated refresh token) or
 * expired, the token stops working at once, not when it expires.
 */
@Injectable()
export class TokenService {
  /**
   * The secret as a KeyObject made once: given a string, jsonwebtoken first tries (and fails) to
   * read it as a public key on every verification (as in jwt.strategy.ts).
   */
  private readonly key: KeyObject;

  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
  ) {
    this.key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  }

  issueAccessToken(user: { id: string; role: AuthUser['role']; sessionId: string }): string {
    const claims: AccessTokenClaims = { sub: user.id, role: user.role, sid: user.sessionId };
    return this.jwt.sign(claims, { expiresIn: this.config.env.ACCESS_TOKEN_TTL_SECONDS });
  }

  /** The user a token names, or null when the token is forged, expired, names nobody or its session has ended. */
  async verify(token: string): Promise<AuthUser | null> {
    let claims: AccessTokenClaims;
    try {
      // @nestjs/jwt's types lag behind: jsonwebtoken takes a KeyObject
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(token, { secret: this.key as unknown as Buffer });
    } catch {
      return null;
    }
    return this.userOfClaims(claims);
  }

  /**
   * The user of a signature-checked token, if its session is live: one round trip, the user
   * row and an EXISTS on the session's refresh tokens (indexed by family). A token without a
   * session is refused: the API issues none.
   */
  async userOfClaims(claims: AccessTokenClaims): Promise<AuthUser | null> {
    if (typeof claims.sub !== 'string' || !UUID.test(claims.sub)) return null;
    if (typeof claims.sid !== 'string' || !UUID.test(claims.sid)) return null;
    const rows: UserRow[] = await this.db.query(
      `SELECT ${USER_COLUMNS} FROM users u
        WHERE u.id = $1
          AND EXISTS (SELECT 1 FROM refresh_tokens r
                       WHERE r.family_id = $2 AND r.user_id = u.id AND r.revoked_at IS NULL AND r.expires_at > now())`,
      [claims.sub, claims.sid],
    );
    const r = rows[0];
    return r ? { ...toAuthUser(r), sessionId: claims.sid } : null;
  }

  /** The current state of a user (role, verification, suspension), read fresh on every request. */
  async loadUser(id: string): Promise<AuthUser | null> {
    if (!UUID.test(id)) return null;
    const rows: UserRow[] = await this.db.query(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [id]);
    const r = rows[0];
    return r ? toAuthUser(r) : null;
  }
}

function toAuthUser(r: UserRow): AuthUser {
  return {
    id: r.id,
    role: r.role,
    stakeholderGroup: r.stakeholder_group,
    verified: r.verified,
    displayName: r.display_name,
    organization: r.organization,
    suspendedUntil: r.suspended_until,
  };
}
