import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  commentIdSchema,
  itemNumberSchema,
  lockItemSchema,
  moderateCommentSchema,
  moderationLogQuerySchema,
  moderationQueueQuerySchema,
  slugSchema,
  suspendUserSchema,
  userIdSchema,
  type CommentView,
  type ItemLockView,
  type LockItemInput,
  type ModerateCommentInput,
  type ModerationCommentDetail,
  type ModerationLogEntry,
  type ModerationLogQuery,
  type ModerationQueueEntry,
  type ModerationQueueQuery,
  type SuspendUserInput,
  type SuspensionView,
} from '@forum/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { CurrentUser, Roles } from '../../common/auth/decorators.js';
import { ApiZodBody, ApiZodQuery } from '../../common/validation/api-zod.js';
import { ZodPipe } from '../../common/validation/zod.pipe.js';
import { FlagsService } from './flags.service.js';
import { ModerationService } from './moderation.service.js';

/**
 * The moderators' routes (moderator or admin; participants 403, guests 401). Every action states
 * a reason (1–1000 characters). There is deliberately no route that changes anyone's words.
 */
@ApiTags('moderation')
@ApiBearerAuth()
@Roles('moderator', 'admin')
@Controller('moderation')
export class ModerationController {
  constructor(
    private readonly moderation: ModerationService,
    private readonly flags: FlagsService,
  ) {}

  @Get('queue')
  @ApiZodQuery(moderationQueueQuerySchema)
  queue(@Query(new ZodPipe(moderationQueueQuerySchema)) query: ModerationQueueQuery, @CurrentUser() user: AuthUser): Promise<ModerationQueueEntry[]> {
    return this.flags.queue(query, user);
  }

  @Get('comments/:id')
  comment(@Param('id', new ZodPipe(commentIdSchema)) id: number, @CurrentUser() user: AuthUser): Promise<ModerationCommentDetail> {
    return this.flags.detail(id, user);
  }

  @Post('comments/:id/hide')
  @HttpCode(200)
  @ApiZodBody(moderateCommentSchema)
  hide(
    @Param('id', new ZodPipe(commentIdSchema)) id: number,
    @Body(new ZodPipe(moderateCommentSchema)) input: ModerateCommentInput,
    @CurrentUser() user: AuthUser,
  ): Promise<CommentView> {
    return this.moderation.hide(id, input.reason, user);
  }

  @Post('comments/:id/restore')
  @HttpCode(200)
  @ApiZodBody(moderateCommentSchema)
  restore(
    @Param('id', new ZodPipe(commentIdSchema)) id: number,
    @Body(new ZodPipe(moderateCommentSchema)) input: ModerateCommentInput,
    @CurrentUser() user: AuthUser,
  ): Promise<CommentView> {
    return this.moderation.restore(id, input.reason, user);
  }

  /** Closes a comment's open flags without hiding it (the comment leaves the queue). */
  @Post('comments/:id/dismiss')
  @HttpCode(200)
  @ApiZodBody(moderateCommentSchema)
  dismiss(
    @Param('id', new ZodPipe(commentIdSchema)) id: number,
    @Body(new ZodPipe(moderateCommentSchema)) input: ModerateCommentInput,
    @CurrentUser() user: AuthUser,
  ): Promise<CommentView> {
    return this.moderation.dismiss(id, input.reason, user);
  }

  @Post('consultations/:slug/items/:n/lock')
  @HttpCode(200)
  @ApiZodBody(lockItemSchema)
  lock(
    @Param('slug', new ZodPipe(slugSchema)) slug: string,
    @Param('n', new ZodPipe(itemNumberSchema)) n: number,
    @Body(new ZodPipe(lockItemSchema)) input: LockItemInput,
    @CurrentUser() user: AuthUser,
  ): Promise<ItemLockView> {
    return this.moderation.lock(slug, n, input, user);
  }

  @Post('users/:id/suspend')
  @HttpCode(200)
  @ApiZodBody(suspendUserSchema)
  suspend(
    @Param('id', new ZodPipe(userIdSchema)) id: string,
    @Body(new ZodPipe(suspendUserSchema)) input: SuspendUserInput,
    @CurrentUser() user: AuthUser,
  ): Promise<SuspensionView> {
    return this.moderation.suspend(id, input, user);
  }

  @Get('log')
  @ApiZodQuery(moderationLogQuerySchema)
  log(@Query(new ZodPipe(moderationLogQuerySchema)) query: ModerationLogQuery): Promise<ModerationLogEntry[]> {
    return this.moderation.log(query);
  }
}
