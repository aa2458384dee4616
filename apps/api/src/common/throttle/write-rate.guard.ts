import { applyDecorators, type CanActivate, type ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthUser } from '../auth/auth-user.js';
import { AppConfig } from '../../config/app-config.js';
import { clientAddress } from './client-address.js';
import { enforceRate } from './rate-limited.js';
import { RateLimiter } from './rate-limiter.service.js';

/**
 * WRITE_RATE_PER_MINUTE per participant, across every route marked @WriteRate() together
 * (comments, edits, positions, flags, profile). Runs after the global access guard, so the
 * participant is known; a guest (only on a public route) is counted by address.
 */
@Injectable()
export class WriteRateGuard implements CanActivate {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly config: AppConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const http = ctx.switchToHttp();
    const req = http.getRequest<Request & { user?: AuthUser }>();
    const key = req.user ? `user:${req.user.id}` : `addr:${clientAddress(req)}`;
    await enforceRate(this.limiter, http.getResponse<Response>(), 'write-user', key, this.config.env.WRITE_RATE_PER_MINUTE, 'too many writes');
    return true;
  }
}

/** Puts a write route under the per-participant write limit (429 with Retry-After beyond it). */
export const WriteRate = () => applyDecorators(UseGuards(WriteRateGuard), ApiResponse({ status: 429, description: 'Too many writes; see Retry-After' }));
