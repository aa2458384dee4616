import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  commentIdSchema,
  createCommentSchema,
  itemNumberSchema,
  listCommentsQuerySchema,
  listRevisionsQuerySchema,
  slugSchema,
  updateCommentSchema,
  type CommentRevisionView,
  type CommentsPage,
  type CommentView,
  type CreateCommentInput,
  type ListCommentsQuery,
  type ListRevisionsQuery,
  type UpdateCommentInput,
} from '@forum/shared';
import type { Response } from 'express';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { CurrentUser, Public } from '../../common/auth/decorators.js';
import { WriteRate } from '../../common/throttle/write-rate.guard.js';
import { ApiZodBody, ApiZodQuery } from '../../common/validation/api-zod.js';
import { ZodPipe } from '../../common/validation/zod.pipe.js';
import { DiscussionService } from './discussion.service.js';

@ApiTags('discussion')
@Controller()
export class DiscussionController {
  constructor(private readonly discussion: DiscussionService) {}

  @Public()
  @Get('consultations/:slug/items/:n/comments')
  @ApiZodQuery(listCommentsQuerySchema)
  list(
    @Param('slug', new ZodPipe(slugSchema)) slug: string,
    @Param('n', new ZodPipe(itemNumberSchema)) n: number,
    @Query(new ZodPipe(listCommentsQuerySchema)) query: ListCommentsQuery,
    @CurrentUser() user: AuthUser | undefined,
  ): Promise<CommentsPage> {
    return this.discussion.list(slug, n, query, user);
  }

  @ApiBearerAuth()
  @WriteRate()
  @Post('consultations/:slug/items/:n/comments')
  @HttpCode(201)
  @ApiZodBody(createCommentSchema)
  create(
    @Param('slug', new ZodPipe(slugSchema)) slug: string,
    @Param('n', new ZodPipe(itemNumberSchema)) n: number,
    @Body(new ZodPipe(createCommentSchema)) input: CreateCommentInput,
    @CurrentUser() user: AuthUser,
  ): Promise<CommentView> {
    return this.discussion.create(slug, n, input, user);
  }

  @ApiBearerAuth()
  @WriteRate()
  @Patch('comments/:id')
  @ApiZodBody(updateCommentSchema)
  update(
    @Param('id', new ZodPipe(commentIdSchema)) id: number,
    @Body(new ZodPipe(updateCommentSchema)) input: UpdateCommentInput,
    @CurrentUser() user: AuthUser,
  ): Promise<CommentView> {
    return this.discussion.update(id, input, user);
  }

  @ApiBearerAuth()
  @WriteRate()
  @Delete('comments/:id')
  @HttpCode(204)
  async remove(@Param('id', new ZodPipe(commentIdSchema)) id: number, @CurrentUser() user: AuthUser): Promise<void> {
    await this.discussion.remove(id, user);
  }

  /**
   * A page of the comment's earlier bodies, still a JSON array (the contract's shape); the next
   * page is named by `X-Next-Cursor` and `Link: <…>; rel="next"`, both absent on the last page.
   */
  @Public()
  @Get('comments/:id/revisions')
  @ApiZodQuery(listRevisionsQuerySchema)
  @ApiResponse({ status: 200, description: 'Earlier bodies, oldest first; headers X-Next-Cursor and Link (rel="next") name the next page' })
  async revisions(
    @Param('id', new ZodPipe(commentIdSchema)) id: number,
    @Query(new ZodPipe(listRevisionsQuerySchema)) query: ListRevisionsQuery,
    @CurrentUser() user: AuthUser | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CommentRevisionView[]> {
    const page = await this.discussion.revisions(id, query, user);
    if (page.nextCursor) {
      const next = new URLSearchParams({ cursor: page.nextCursor, limit: String(query.limit) });
      res.setHeader('X-Next-Cursor', page.nextCursor);
      res.setHeader('Link', `</api/comments/${id}/revisions?${next.toString()}>; rel="next"`);
    }
    return page.revisions;
  }
}
