import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AuthUser } from '../auth/auth-user.js';
import { AppConfig } from '../../config/app-config.js';
import { enforceRate } from './rate-limited.js';
import { type RateBucket, RateLimiter } from './rate-limiter.service.js';

export interface RateRule {
  bucket: RateBucket;
  key: string;
  perMinute: number;
  message: string;
}

/**
 * A route-level limit counted by the shared limiter (429 with Retry-After beyond it): a guard
 * says only which bucket, which key and how many a minute.
 */
@Injectable()
export abstract class RateGuard implements CanActivate {
  constructor(
    protected readonly limiter: RateLimiter,
    protected readonly config: AppConfig,
  ) {}

  protected abstract rule(req: Request & { user?: AuthUser }): RateRule;

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const http = ctx.switchToHttp();
    const r = this.rule(http.getRequest());
    await enforceRate(this.limiter, http.getResponse<Response>(), r.bucket, r.key, r.perMinute, r.message);
    return true;
  }
}
