import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  consultationTallyQuerySchema,
  itemNumberSchema,
  itemTallyQuerySchema,
  slugSchema,
  takePositionSchema,
  withdrawPositionQuerySchema,
  type ConsultationTallyQuery,
  type ConsultationTallyView,
  type ItemTallyQuery,
  type PositionView,
  type TakePositionInput,
  type TallyCheckView,
  type TallyView,
  type WithdrawPositionQuery,
} from '@forum/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { CurrentUser, Public, Roles } from '../../common/auth/decorators.js';
import { WriteRate } from '../../common/throttle/write-rate.guard.js';
import { ApiZodBody, ApiZodQuery } from '../../common/validation/api-zod.js';
import { ZodPipe } from '../../common/validation/zod.pipe.js';
import { PositionsService } from './positions.service.js';
import { TallyService } from './tally.service.js';

@ApiTags('positions')
@Controller()
export class PositionsController {
  constructor(
    private readonly positions: PositionsService,
    private readonly tallies: TallyService,
  ) {}

  @ApiBearerAuth()
  @WriteRate()
  @Put('consultations/:slug/items/:n/position')
  @HttpCode(200)
  @ApiZodBody(takePositionSchema)
  take(
    @Param('slug', new ZodPipe(slugSchema)) slug: string,
    @Param('n', new ZodPipe(itemNumberSchema)) n: number,
    @Body(new ZodPipe(takePositionSchema)) input: TakePositionInput,
    @CurrentUser() user: AuthUser,
  ): Promise<PositionView> {
    return this.positions.take(slug, n, user, input);
  }

  @ApiBearerAuth()
  @WriteRate()
  @Delete('consultations/:slug/items/:n/position')
  @HttpCode(204)
  @ApiZodQuery(withdrawPositionQuerySchema)
  async withdraw(
    @Param('slug', new ZodPipe(slugSchema)) slug: string,
    @Param('n', new ZodPipe(itemNumberSchema)) n: number,
    @Query(new ZodPipe(withdrawPositionQuerySchema)) query: WithdrawPositionQuery,
    @CurrentUser() user: AuthUser,
  ): Promise<void> {
    await this.positions.withdraw(slug, n, user, query.clause);
  }

  /** The signed-in participant's own positions in a consultation (item and clause positions). */
  @ApiBearerAuth()
  @Get('consultations/:slug/positions/mine')
  mine(@Param('slug', new ZodPipe(slugSchema)) slug: string, @CurrentUser() user: AuthUser): Promise<PositionView[]> {
    return this.positions.mine(slug, user);
  }

  @Public()
  @Get('consultations/:slug/items/:n/tally')
  @ApiZodQuery(itemTallyQuerySchema)
  itemTally(
    @Param('slug', new ZodPipe(slugSchema)) slug: string,
    @Param('n', new ZodPipe(itemNumberSchema)) n: number,
    @Query(new ZodPipe(itemTallyQuerySchema)) query: ItemTallyQuery,
    @CurrentUser() user: AuthUser | undefined,
  ): Promise<TallyView> {
    return this.tallies.itemTally(slug, n, query.clause, query.verified, user);
  }

  @Public()
  @Get('consultations/:slug/tally')
  @ApiZodQuery(consultationTallyQuerySchema)
  consultationTally(
    @Param('slug', new ZodPipe(slugSchema)) slug: string,
    @Query(new ZodPipe(consultationTallyQuerySchema)) query: ConsultationTallyQuery,
    @CurrentUser() user: AuthUser | undefined,
  ): Promise<ConsultationTallyView> {
    return this.tallies.consultationTally(slug, query.verified, user);
  }

  /** Recounts the positions and compares with the kept counts (`ok: false` lists every difference). */
  @ApiBearerAuth()
  @Roles('admin')
  @Get('admin/consultations/:slug/tally-check')
  check(@Param('slug', new ZodPipe(slugSchema)) slug: string, @CurrentUser() user: AuthUser): Promise<TallyCheckView> {
    return this.tallies.check(slug, user);
  }
}
