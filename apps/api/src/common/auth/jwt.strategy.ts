import { Injectable } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '../../config/app-config.js';
import type { AccessTokenClaims, AuthUser } from './auth-user.js';
import { TokenService } from './token.service.js';

/** passport-jwt: a Bearer access token, checked for signature and expiry, naming a user who exists. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly tokens: TokenService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject made once: given a string or a Buffer, jsonwebtoken first tries (and fails) to
      // read it as a public key on every verification, 10-13% of the API's time on authenticated
      // writes. passport-jwt hands it to jsonwebtoken unchanged; its types only lag behind.
      secretOrKey: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')) as unknown as Buffer,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  async validate(claims: AccessTokenClaims): Promise<AuthUser | false> {
    return (await this.tokens.userOfClaims(claims)) ?? false;
  }
}
