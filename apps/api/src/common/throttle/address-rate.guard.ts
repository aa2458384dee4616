import { applyDecorators, type CanActivate, type ExecutionContext, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppConfig } from '../../config/app-config.js';
import { clientAddress } from './client-address.js';
import { enforceRate } from './rate-limited.js';
import { type RateBucket, RateLimiter } from './rate-limiter.service.js';

const ADDRESS_RATE_BUCKET = 'throttle:address-bucket';

/** AUTH_RATE_PER_MINUTE attempts per client address, counted in the route's bucket. */
@Injectable()
export class AddressRateGuard implements CanActivate {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly config: AppConfig,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const bucket = this.reflector.get<RateBucket>(ADDRESS_RATE_BUCKET, ctx.getHandler());
    const http = ctx.switchToHttp();
    const req = http.getRequest<Request>();
    await enforceRate(this.limiter, http.getResponse<Response>(), bucket, clientAddress(req), this.config.env.AUTH_RATE_PER_MINUTE, 'too many attempts from this address');
    return true;
  }
}

/** Sign-up style routes: AUTH_RATE_PER_MINUTE per client address (429 with Retry-After beyond it). */
export const AddressRate = (bucket: RateBucket) =>
  applyDecorators(SetMetadata(ADDRESS_RATE_BUCKET, bucket), UseGuards(AddressRateGuard), ApiResponse({ status: 429, description: 'Too many attempts; see Retry-After' }));
