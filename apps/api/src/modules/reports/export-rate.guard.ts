import { applyDecorators, Injectable, UseGuards } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { clientAddress, RateGuard, type RateRule } from '../../common/throttle/index.js';

/** EXPORT_RATE_PER_MINUTE downloads per client address (429 with Retry-After beyond it), with the limiter every other limit uses. */
@Injectable()
export class ExportRateGuard extends RateGuard {
  protected rule(req: Request): RateRule {
    return { bucket: 'export-ip', key: clientAddress(req), perMinute: this.config.env.EXPORT_RATE_PER_MINUTE, message: 'too many downloads from this address' };
  }
}

export const ExportRate = () =>
  applyDecorators(UseGuards(ExportRateGuard), ApiResponse({ status: 429, description: 'Too many downloads from this address, or too many exports being built; see Retry-After' }));
