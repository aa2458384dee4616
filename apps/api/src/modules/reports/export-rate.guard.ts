import { applyDecorators, type CanActivate, type ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { clientAddress, enforceRate, RateLimiter } from '../../common/throttle/index.js';
import { AppConfig } from '../../config/app-config.js';

/** EXPORT_RATE_PER_MINUTE downloads per client address (429 with Retry-After beyond it), with the limiter every other limit uses. */
@Injectable()
export class ExportRateGuard implements CanActivate {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly config: AppConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const http = ctx.switchToHttp();
    const req = http.getRequest<Request>();
    await enforceRate(this.limiter, http.getResponse<Response>(), 'export-ip', clientAddress(req), this.config.env.EXPORT_RATE_PER_MINUTE, 'too many downloads from this address');
    return true;
  }
}

export const ExportRate = () =>
  applyDecorators(UseGuards(ExportRateGuard), ApiResponse({ status: 429, description: 'Too many downloads from this address, or too many exports being built; see Retry-After' }));
