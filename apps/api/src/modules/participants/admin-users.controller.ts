import { Body, Controller, Get, Header, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  adminUsersQuerySchema,
  setRoleSchema,
  setVerificationSchema,
  userIdSchema,
  type AdminUserList,
  type AdminUsersQuery,
  type PasswordResetLink,
  type SetRoleInput,
  type SetVerificationInput,
  type UserView,
} from '@forum/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { CurrentUser, Roles } from '../../common/auth/decorators.js';
import { ApiZodBody, ApiZodQuery } from '../../common/validation/api-zod.js';
import { ZodPipe } from '../../common/validation/zod.pipe.js';
import type { Request } from 'express';
import { AppConfig } from '../../config/app-config.js';
import { ParticipantsService } from './participants.service.js';
import { PasswordsService } from './passwords.service.js';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin/users')
export class AdminUsersController {
  constructor(
    private readonly participants: ParticipantsService,
    private readonly passwords: PasswordsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiZodQuery(adminUsersQuerySchema)
  list(@Query(new ZodPipe(adminUsersQuerySchema)) query: AdminUsersQuery): Promise<AdminUserList> {
    return this.participants.list(query);
  }

  @Post(':id/verification')
  @HttpCode(200)
  @ApiZodBody(setVerificationSchema)
  setVerification(
    @CurrentUser() actor: AuthUser,
    @Param('id', new ZodPipe(userIdSchema)) id: string,
    @Body(new ZodPipe(setVerificationSchema)) input: SetVerificationInput,
  ): Promise<UserView> {
    return this.participants.setVerified(actor, id, input.verified);
  }

  /**
   * A one-time password-reset link for a participant, shown once (only its hash is kept), valid
   * 24 hours; the administrator hands it over. The link points at PUBLIC_URL when set, else at
   * the address this request came to.
   */
  @Post(':id/password-reset')
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @ApiResponse({ status: 201, description: '{url, expiresAt}' })
  issuePasswordReset(@CurrentUser() actor: AuthUser, @Param('id', new ZodPipe(userIdSchema)) id: string, @Req() req: Request): Promise<PasswordResetLink> {
    const base = this.config.env.PUBLIC_URL ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    return this.passwords.issueLink(actor, id, base);
  }

  @Patch(':id')
  @ApiZodBody(setRoleSchema)
  setRole(
    @CurrentUser() actor: AuthUser,
    @Param('id', new ZodPipe(userIdSchema)) id: string,
    @Body(new ZodPipe(setRoleSchema)) input: SetRoleInput,
  ): Promise<UserView> {
    return this.participants.setRole(actor, id, input.role);
  }
}
