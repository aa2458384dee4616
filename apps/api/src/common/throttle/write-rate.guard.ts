import { applyDecorators, Injectable, UseGuards } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthUser } from '../auth/auth-user.js';
import { clientAddress } from './client-address.js';
import { RateGuard, type RateRule } from './rate.guard.js';

/**
 * WRITE_RATE_PER_MINUTE per participant, across every route marked @WriteRate() together
 * (comments, edits, positions, flags, profile). Runs after the global access guard, so the
 * participant is known; a guest (only on a public route) is counted by address.
 */
@Injectable()
export class WriteRateGuard extends RateGuard {
  protected rule(req: Request & { user?: AuthUser }): RateRule {
    const key = req.user ? `user:${req.user.id}` : `addr:${clientAddress(req)}`;
    return { bucket: 'write-user', key, perMinute: this.config.env.WRITE_RATE_PER_MINUTE, message: 'too many writes' };
  }
}

/** Puts a write route under the per-participant write limit (429 with Retry-After beyond it). */
export const WriteRate = () => applyDecorators(UseGuards(WriteRateGuard), ApiResponse({ status: 429, description: 'Too many writes; see Retry-After' }));
