import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
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

/** Issues and checks access tokens; used by the HTTP strategy and the socket handshake alike. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  issueAccessToken(user: { id: string; role: AuthUser['role'] }): string {
    const claims: AccessTokenClaims = { sub: user.id, role: user.role };
    return this.jwt.sign(claims, { expiresIn: this.config.env.ACCESS_TOKEN_TTL_SECONDS });
  }

  /** The user a token names, or null when the token is forged, expired or names nobody. */
  async verify(token: string): Promise<AuthUser | null> {
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(token);
    } catch {
      return null;
    }
    return this.loadUser(claims.sub);
  }

  /** The current state of a user (role, verification, suspension), read fresh on every request. */
  async loadUser(id: string): Promise<AuthUser | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const rows: UserRow[] = await this.db.query(
      `SELECT id, role, stakeholder_group, verified, display_name, organization, suspended_until FROM users WHERE id = $1`,
      [id],
    );
    const r = rows[0];
    if (!r) return null;
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
}
