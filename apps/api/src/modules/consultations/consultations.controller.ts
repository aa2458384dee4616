import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  importConsultationSchema,
  slugSchema,
  updateConsultationSchema,
  type ConsultationSummary,
  type ConsultationView,
  type ImportConsultationInput,
  type UpdateConsultationInput,
} from '@forum/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { CurrentUser, Public, Roles } from '../../common/auth/decorators.js';
import { ApiZodBody } from '../../common/validation/api-zod.js';
import { ZodPipe } from '../../common/validation/zod.pipe.js';
import { ConsultationsService } from './consultations.service.js';

@ApiTags('consultations')
@Controller()
export class ConsultationsController {
  constructor(private readonly consultations: ConsultationsService) {}

  @Public()
  @Get('consultations')
  list(@CurrentUser() user: AuthUser | undefined): Promise<ConsultationSummary[]> {
    return this.consultations.list(user);
  }

  @Public()
  @Get('consultations/:slug')
  get(@Param('slug', new ZodPipe(slugSchema)) slug: string, @CurrentUser() user: AuthUser | undefined): Promise<ConsultationView> {
    return this.consultations.get(slug, user);
  }

  @ApiBearerAuth()
  @Roles('admin')
  @Post('admin/consultations')
  @HttpCode(201)
  @ApiZodBody(importConsultationSchema)
  import(@Body(new ZodPipe(importConsultationSchema)) input: ImportConsultationInput): Promise<ConsultationView> {
    return this.consultations.importFromInput(input);
  }

  @ApiBearerAuth()
  @Roles('admin')
  @Patch('admin/consultations/:slug')
  @ApiZodBody(updateConsultationSchema)
  update(
    @Param('slug', new ZodPipe(slugSchema)) slug: string,
    @Body(new ZodPipe(updateConsultationSchema)) input: UpdateConsultationInput,
  ): Promise<ConsultationSummary> {
    return this.consultations.setStatus(slug, input.status);
  }
}
