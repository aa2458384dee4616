import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import { exportQuerySchema, slugSchema, type ExportQuery } from '@forum/shared';
import type { Response } from 'express';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { CurrentUser, Public } from '../../common/auth/decorators.js';
import { ApiZodQuery } from '../../common/validation/api-zod.js';
import { ZodPipe } from '../../common/validation/zod.pipe.js';
import { ExportService, type ConsultationExport } from './export.service.js';

@ApiTags('reports')
@Controller()
export class ExportController {
  constructor(private readonly exports: ExportService) {}

  /** Positions and comments as a download: `?format=json` (default) or `csv`; `?data=positions|comments` for one kind only. */
  @Public()
  @Get('consultations/:slug/export')
  @ApiZodQuery(exportQuerySchema)
  @ApiProduces('application/json', 'text/csv')
  async export(
    @Param('slug', new ZodPipe(slugSchema)) slug: string,
    @Query(new ZodPipe(exportQuerySchema)) query: ExportQuery,
    @CurrentUser() user: AuthUser | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string | ConsultationExport> {
    const file = await this.exports.export(slug, query, user);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
    res.setHeader('Cache-Control', 'no-store');
    return file.body;
  }
}
