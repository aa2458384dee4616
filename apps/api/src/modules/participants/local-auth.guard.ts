import { type ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { loginSchema } from '@forum/shared';
import type { Request, Response } from 'express';
import { badInput, unauthenticated } from '../../common/errors/domain-error.js';
import { zodMessage } from '../../common/errors/http-exception.filter.js';
import { clientAddress } from '../../common/throttle/client-address.js';
import { enforceRate } from '../../common/throttle/rate-limited.js';
import { type RateBucket, RateLimiter } from '../../common/throttle/rate-limiter.service.js';
import { AppConfig } from '../../config/app-config.js';
import { DeviceCookies } from './device-cookie.js';
import { UsersRepository } from './users.repository.js';

/**
 * Sign-in, in order: AUTH_RATE_PER_MINUTE attempts per client address; the body validated
 * (400 naming the field); then the failed-attempt limits, each AUTH_RATE_PER_MINUTE a minute:
 * - from a device the account signed in on before (a valid device cookie for this account):
 *   failures per device cookie only — guesses from elsewhere never lock the owner out of it,
 *   and a device cookie that fails too often is locked out itself;
 * - from any other device: failures per account and address, and per account across all
 *   addresses (the ceiling that stops a spread-out guessing attack).
 * Every attempt counts when it starts and a success is taken back, so parallel guesses cannot
 * slip past a limit; then passport-local checks the password.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly config: AppConfig,
    private readonly devices: DeviceCookies,
    private readonly users: UsersRepository,
  ) {
    super();
  }

  override async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const limit = this.config.env.AUTH_RATE_PER_MINUTE;
    const address = clientAddress(req);
    await enforceRate(this.limiter, res, 'login-ip', address, limit, 'too many sign-in attempts from this address');

    const parsed = loginSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw badInput(undefined, zodMessage(parsed.error));
    req.body = parsed.data;
    const email = parsed.data.email;

    const counted: [RateBucket, string][] = [];
    const count = async (bucket: RateBucket, key: string, message: string) => {
      await enforceRate(this.limiter, res, bucket, key, limit, message);
      counted.push([bucket, key]);
    };
    if (limit > 0) {
      const device = await this.knownDevice(req, email);
      if (device) {
        await count('login-device', device, 'too many failed sign-ins on this device');
      } else {
        await count('login-account-address', `${email}\n${address}`, 'too many failed sign-ins for this account from this address');
        await count('login-account', email, 'too many failed sign-ins for this account');
      }
    }
    await (super.canActivate(ctx) as Promise<boolean>);
    for (const [bucket, key] of counted) await this.limiter.refund(bucket, key);
    return true;
  }

  /** The nonce of a valid device cookie naming the account of this address, else null. */
  private async knownDevice(req: Request, email: string): Promise<string | null> {
    const device = this.devices.read(req);
    if (!device) return null;
    const account = await this.users.findByEmail(email);
    return account && account.id === device.userId ? device.nonce : null;
  }

  /** The strategy's own errors pass through; passport's "missing credentials" cannot happen after the schema. */
  override handleRequest<TUser>(err: unknown, user: TUser): TUser {
    if (err) throw err;
    if (!user) throw unauthenticated('wrong e-mail address or password');
    return user;
  }
}
