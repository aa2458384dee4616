import { type ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { loginSchema } from '@forum/shared';
import type { Request, Response } from 'express';
import { badInput, unauthenticated } from '../../common/errors/domain-error.js';
import { zodMessage } from '../../common/errors/http-exception.filter.js';
import { clientAddress } from '../../common/throttle/client-address.js';
import { enforceRate } from '../../common/throttle/rate-limited.js';
import { RateLimiter } from '../../common/throttle/rate-limiter.service.js';
import { AppConfig } from '../../config/app-config.js';

/**
 * Sign-in, in order: AUTH_RATE_PER_MINUTE attempts per client address; the body validated
 * (400 naming the field); AUTH_RATE_PER_MINUTE failed attempts per account — every attempt
 * counts when it starts and a success is taken back, so parallel guesses cannot slip past the
 * limit; then passport-local checks the password.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly config: AppConfig,
  ) {
    super();
  }

  override async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const limit = this.config.env.AUTH_RATE_PER_MINUTE;
    await enforceRate(this.limiter, res, 'login-ip', clientAddress(req), limit, 'too many sign-in attempts from this address');

    const parsed = loginSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw badInput(undefined, zodMessage(parsed.error));
    req.body = parsed.data;

    await enforceRate(this.limiter, res, 'login-account', parsed.data.email, limit, 'too many failed sign-ins for this account');
    await (super.canActivate(ctx) as Promise<boolean>);
    if (limit > 0) await this.limiter.refund('login-account', parsed.data.email);
    return true;
  }

  /** The strategy's own errors pass through; passport's "missing credentials" cannot happen after the schema. */
  override handleRequest<TUser>(err: unknown, user: TUser): TUser {
    if (err) throw err;
    if (!user) throw unauthenticated('wrong e-mail address or password');
    return user;
  }
}
