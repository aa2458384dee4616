export { AddressRate, AddressRateGuard } from './address-rate.guard.js';
export { clientAddress } from './client-address.js';
export { enforceRate } from './rate-limited.js';
export { type RateBucket, RateLimiter, type RateResult } from './rate-limiter.service.js';
export { RateGuard, type RateRule } from './rate.guard.js';
export { ThrottleModule } from './throttle.module.js';
export { WriteRate, WriteRateGuard } from './write-rate.guard.js';
