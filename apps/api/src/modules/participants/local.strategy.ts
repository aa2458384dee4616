import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';
import { unauthenticated } from '../../common/errors/domain-error.js';
import { AuthService } from './auth.service.js';
import type { UserRow } from './users.repository.js';

/** passport-local: e-mail and password checked against the argon2id hash. */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'email', passwordField: 'password', session: false });
  }

  async validate(email: string, password: string): Promise<UserRow> {
    const user = await this.auth.validateCredentials(email, password);
    if (!user) throw unauthenticated('wrong e-mail address or password');
    return user;
  }
}
