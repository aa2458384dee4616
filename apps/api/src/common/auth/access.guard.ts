import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Role } from '@forum/shared';
import { forbidden, unauthenticated } from '../errors/domain-error.js';
import { isDatabaseUnavailable } from '../errors/http-exception.filter.js';
import type { AuthUser } from './auth-user.js';
import { PUBLIC_KEY, ROLES_KEY } from './decorators.js';

/**
 * The global guard: every route needs a valid access token unless marked @Public(); @Roles()
 * narrows it further. A token that is present but invalid is refused even on public routes.
 */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(ctx: ExecutionContext): Promise<boolean> {
    // The live channel authenticates at the handshake and checks access on subscribe (live.gateway.ts).
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) ?? false;
    const roles = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets);
    const req = ctx.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; user?: AuthUser }>();
    const hasToken = typeof req.headers.authorization === 'string' && req.headers.authorization.length > 0;

    if (isPublic && !hasToken) return true;
    await (super.canActivate(ctx) as Promise<boolean>);
    const user = req.user;
    if (roles && roles.length > 0 && (!user || !roles.includes(user.role))) {
      throw forbidden(`requires role: ${roles.join(' or ')}`);
    }
    return true;
  }

  override handleRequest<TUser>(err: unknown, user: TUser): TUser {
    // The user behind a valid token could not be read: the database is away, not the token bad (503, not 401).
    if (isDatabaseUnavailable(err)) throw err;
    if (err || !user) throw unauthenticated('a valid access token is required');
    return user;
  }
}
