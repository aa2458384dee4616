import { Module } from '@nestjs/common';
import { DiscussionController } from './discussion.controller.js';
import { DiscussionRepository } from './discussion.repository.js';
import { DiscussionService } from './discussion.service.js';

/**
 * Comments and their threads. Other modules use DiscussionService (listForExport, findView),
 * DiscussionRepository (rows for moderation), and the plain functions canSeeCommentBody
 * (comment-visibility.ts) and toCommentView / toPublicCommentView (discussion.mapper.ts).
 */
@Module({
  controllers: [DiscussionController],
  providers: [DiscussionRepository, DiscussionService],
  exports: [DiscussionService, DiscussionRepository],
})
export class DiscussionModule {}
