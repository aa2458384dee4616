import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  adminUsersQuerySchema,
  setRoleSchema,
  setVerificationSchema,
  userIdSchema,
  type AdminUserList,
  type AdminUsersQuery,
  type SetRoleInput,
  type SetVerificationInput,
  type UserView,
} from '@forum/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { CurrentUser, Roles } from '../../common/auth/decorators.js';
import { ApiZodBody, ApiZodQuery } from '../../common/validation/api-zod.js';
import { ZodPipe } from '../../common/validation/zod.pipe.js';
import { ParticipantsService } from './participants.service.js';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin/users')
export class AdminUsersController {
  constructor(private readonly participants: ParticipantsService) {}

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
