import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  markNotificationsReadSchema,
  notificationsQuerySchema,
  type MarkNotificationsReadInput,
  type NotificationsPage,
  type NotificationsQuery,
} from '@forum/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { CurrentUser } from '../../common/auth/decorators.js';
import { ApiZodBody, ApiZodQuery } from '../../common/validation/api-zod.js';
import { ZodPipe } from '../../common/validation/zod.pipe.js';
import { NotificationsService } from './notifications.service.js';

/** A signed-in user's own notifications (a suspended one included: they concern them). */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('me/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiZodQuery(notificationsQuerySchema)
  list(@Query(new ZodPipe(notificationsQuerySchema)) query: NotificationsQuery, @CurrentUser() user: AuthUser): Promise<NotificationsPage> {
    return this.notifications.list(user, query);
  }

  /** Marks these notifications read, or all of them without `ids`; answers the unread count. */
  @Post('read')
  @HttpCode(200)
  @ApiZodBody(markNotificationsReadSchema)
  read(@Body(new ZodPipe(markNotificationsReadSchema)) input: MarkNotificationsReadInput, @CurrentUser() user: AuthUser): Promise<{ unread: number }> {
    return this.notifications.markRead(user, input.ids);
  }
}
