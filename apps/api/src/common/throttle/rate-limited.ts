import type { Response } from 'express';
import { DomainError, ErrorKind } from '../errors/domain-error.js';
import type { RateBucket, RateLimiter } from './rate-limiter.service.js';

/**
 * Counts one hit against a limit; beyond it, sets Retry-After on the response and throws the
 * 429 in the contract's error shape. A limit of 0 means "no limit".
 */
export async function enforceRate(
  limiter: RateLimiter,
  res: Response,
  bucket: RateBucket,
  key: string,
  limit: number,
  message: string,
): Promise<void> {
  if (limit <= 0) return;
  const r = await limiter.consume(bucket, key, limit);
  if (r.allowed) return;
  res.setHeader('Retry-After', String(r.retryAfter));
  throw new DomainError(ErrorKind.TooMany, `${message}; try again in ${r.retryAfter} s`);
}
