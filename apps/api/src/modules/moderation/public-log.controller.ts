import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { moderationLogQuerySchema, slugSchema, type ModerationLogQuery, type PublicModerationLogEntry } from '@forum/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { CurrentUser, Public } from '../../common/auth/decorators.js';
import { ApiZodQuery } from '../../common/validation/api-zod.js';
import { ZodPipe } from '../../common/validation/zod.pipe.js';
import { ModerationService } from './moderation.service.js';

@ApiTags('moderation')
@Controller()
export class PublicLogController {
  constructor(private readonly moderation: ModerationService) {}

  /**
   * The consultation's moderation, in the open: the actions on its comments and items, and every
   * suspension, newest first, with their reasons — never who acted.
   */
  @Public()
  @Get('consultations/:slug/moderation-log')
  @ApiZodQuery(moderationLogQuerySchema)
  log(
    @Param('slug', new ZodPipe(slugSchema)) slug: string,
    @Query(new ZodPipe(moderationLogQuerySchema)) query: ModerationLogQuery,
    @CurrentUser() user: AuthUser | undefined,
  ): Promise<PublicModerationLogEntry[]> {
    return this.moderation.publicLog(slug, query, user);
  }
}
