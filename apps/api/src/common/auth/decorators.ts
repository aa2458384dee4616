import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '@forum/shared';
import type { AuthUser } from './auth-user.js';

export const PUBLIC_KEY = 'access:public';
export const ROLES_KEY = 'access:roles';

/** Anyone may call the route, signed in or not; a valid token still identifies the caller. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Only these roles may call the route (a signed-in user is required). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The signed-in user; undefined for a guest on a public route. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser | undefined => {
  return ctx.switchToHttp().getRequest<{ user?: AuthUser }>().user;
});
