import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { updateMeSchema, type UpdateMeInput, type UserView } from '@forum/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { CurrentUser } from '../../common/auth/decorators.js';
import { WriteRate } from '../../common/throttle/write-rate.guard.js';
import { ApiZodBody } from '../../common/validation/api-zod.js';
import { ZodPipe } from '../../common/validation/zod.pipe.js';
import { ParticipantsService } from './participants.service.js';

@ApiTags('participants')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(private readonly participants: ParticipantsService) {}

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
}
