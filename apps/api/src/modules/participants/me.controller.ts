import { Body, Controller, Get, HttpCode, Patch, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { changePasswordSchema, updateMeSchema, type ChangePasswordInput, type UpdateMeInput, type UserView } from '@forum/shared';
import type { Response } from 'express';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { CurrentUser } from '../../common/auth/decorators.js';
import { enforceRate } from '../../common/throttle/rate-limited.js';
import { RateLimiter } from '../../common/throttle/rate-limiter.service.js';
import { WriteRate } from '../../common/throttle/write-rate.guard.js';
import { AppConfig } from '../../config/app-config.js';
import { ApiZodBody } from '../../common/validation/api-zod.js';
import { ZodPipe } from '../../common/validation/zod.pipe.js';
import { ParticipantsService } from './participants.service.js';
import { PasswordsService } from './passwords.service.js';

@ApiTags('participants')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(
    private readonly participants: ParticipantsService,
    private readonly passwords: PasswordsService,
    private readonly limiter: RateLimiter,
    private readonly config: AppConfig,
  ) {}

  @Get()
  me(@CurrentUser() user: AuthUser): Promise<UserView> {
    return this.participants.me(user);
  }

  @WriteRate()
  @Patch()
  @ApiZodBody(updateMeSchema)
  update(@CurrentUser() user: AuthUser, @Body(new ZodPipe(updateMeSchema)) input: UpdateMeInput): Promise<UserView> {
    return this.participants.updateMe(user, input);
  }

  /**
   * A new password: 204, and every other session of the account signed out (this one stays).
   * Failed attempts are limited like failed sign-ins (AUTH_RATE_PER_MINUTE per participant).
   */
  @Post('password')
  @HttpCode(204)
  @ApiZodBody(changePasswordSchema)
  @ApiResponse({ status: 400, description: 'current: not your current password; next: too short or unchanged' })
  @ApiResponse({ status: 429, description: 'too many failed attempts; see Retry-After' })
  async changePassword(
    @CurrentUser() user: AuthUser,
    @Body(new ZodPipe(changePasswordSchema)) input: ChangePasswordInput,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const limit = this.config.env.AUTH_RATE_PER_MINUTE;
    await enforceRate(this.limiter, res, 'password-change', user.id, limit, 'too many failed password changes');
    await this.passwords.change(user, input);
    if (limit > 0) await this.limiter.refund('password-change', user.id);
  }
}
