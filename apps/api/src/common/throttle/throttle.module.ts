import { Global, Module } from '@nestjs/common';
import { AddressRateGuard } from './address-rate.guard.js';
import { RateLimiter } from './rate-limiter.service.js';
import { WriteRateGuard } from './write-rate.guard.js';

/**
 * Abuse limits for every module: @WriteRate() on write routes, @AddressRate() on sign-up and
 * sign-in, RateLimiter for anything else. Counters live in PostgreSQL (rate_limits), so several
 * API processes share one limit. @nestjs/throttler's in-memory store would count per process,
 * and its guard cannot count only *failed* sign-ins per account, so a small guard serves better.
 */
@Global()
@Module({
  providers: [RateLimiter, WriteRateGuard, AddressRateGuard],
  exports: [RateLimiter, WriteRateGuard, AddressRateGuard],
})
export class ThrottleModule {}
