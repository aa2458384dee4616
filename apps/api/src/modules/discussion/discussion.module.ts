import { Module } from '@nestjs/common';
import { ConsultationsModule } from '../consultations/consultations.module.js';
import { DiscussionController } from './discussion.controller.js';
import { DiscussionRepository } from './discussion.repository.js';
import { DiscussionService } from './discussion.service.js';

/**
 * Comments and their threads. Other modules use DiscussionService (listForExport, findView(s),
 * the moderation methods: forModeration, manyForModeration, contextsOf, setModerationStatus) and
 * the plain functions canSeeCommentBody (comment-visibility.ts) and toCommentView /
 * toPublicCommentView (discussion.mapper.ts); the tables are written here only.
 */
@Module({
  imports: [ConsultationsModule],
  controllers: [DiscussionController],
  providers: [DiscussionRepository, DiscussionService],
  exports: [DiscussionService],
})
export class DiscussionModule {}
