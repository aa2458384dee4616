import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { commentIdSchema, flagCommentSchema, type FlagCommentInput, type FlagReceipt } from '@forum/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { CurrentUser } from '../../common/auth/decorators.js';
import { WriteRate } from '../../common/throttle/index.js';
import { ApiZodBody } from '../../common/validation/api-zod.js';
import { ZodPipe } from '../../common/validation/zod.pipe.js';
import { FlagsService } from './flags.service.js';

@ApiTags('discussion')
@ApiBearerAuth()
@Controller()
export class FlagsController {
  constructor(private readonly flags: FlagsService) {}

  /** Any participant flags someone else's visible comment, once (a second flag: 409; one's own: 403). */
  @Post('comments/:id/flags')
  @HttpCode(201)
  @WriteRate()
  @ApiZodBody(flagCommentSchema)
  flag(
    @Param('id', new ZodPipe(commentIdSchema)) id: number,
    @Body(new ZodPipe(flagCommentSchema)) input: FlagCommentInput,
    @CurrentUser() user: AuthUser,
  ): Promise<FlagReceipt> {
    return this.flags.flag(id, input, user);
  }
}
