import { Module } from '@nestjs/common';
import { ConsultationsModule } from '../consultations/consultations.module.js';
import { DiscussionModule } from '../discussion/discussion.module.js';
import { ParticipantsModule } from '../participants/participants.module.js';
import { FlagsController } from './flags.controller.js';
import { FlagsService } from './flags.service.js';
import { ModerationController } from './moderation.controller.js';
import { ModerationRepository } from './moderation.repository.js';
import { ModerationService } from './moderation.service.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsRepository } from './notifications.repository.js';
import { NotificationsService } from './notifications.service.js';
import { PublicLogController } from './public-log.controller.js';

/**
 * Moderation in the open: flags and the queue, actions with reasons (hide, restore, dismiss,
 * lock, suspend), the append-only log and its public form, and the notifications that tell a
 * participant what was done and why. Comment text is shown by discussion's one visibility rule.
 * Other modules may use NotificationsService.notify(tx, …) to tell a participant something.
 */
@Module({
  imports: [ConsultationsModule, DiscussionModule, ParticipantsModule],
  controllers: [ModerationController, FlagsController, PublicLogController, NotificationsController],
  providers: [ModerationRepository, ModerationService, FlagsService, NotificationsRepository, NotificationsService],
  exports: [NotificationsService],
})
export class ModerationModule {}
