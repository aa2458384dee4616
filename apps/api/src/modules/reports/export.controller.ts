import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { exportQuerySchema, slugSchema, type ExportQuery } from '@forum/shared';
import type { Response } from 'express';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { CurrentUser, Public } from '../../common/auth/decorators.js';
import { ApiZodQuery } from '../../common/validation/api-zod.js';
import { ZodPipe } from '../../common/validation/zod.pipe.js';
import { ExportRate } from './export-rate.guard.js';
import { ExportService, ExportsBusy } from './export.service.js';

@ApiTags('reports')
@Controller()
export class ExportController {
  constructor(private readonly exports: ExportService) {}

  /**
   * Positions and comments as a download: `?format=json` (default) or `csv`; `?data=positions|comments`
   * for one kind only. The ETag names the consultation's state: `If-None-Match` with it → 304.
   */
  @Public()
  @ExportRate()
  @Get('consultations/:slug/export')
  @ApiZodQuery(exportQuerySchema)
  @ApiProduces('application/json', 'text/csv')
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'The ETag of an earlier download: 304 while the consultation is unchanged' })
  @ApiResponse({ status: 304, description: 'Not modified since the download with that ETag' })
  async export(
    @Param('slug', new ZodPipe(slugSchema)) slug: string,
    @Query(new ZodPipe(exportQuerySchema)) query: ExportQuery,
    @CurrentUser() user: AuthUser | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    let file;
    try {
      file = await this.exports.export(slug, query, user, ifNoneMatch);
    } catch (err) {
      if (err instanceof ExportsBusy) res.setHeader('Retry-After', String(err.retryAfterSeconds));
      throw err;
    }
    // Revalidated on every use (no-cache), kept by no shared cache (private: a draft's export is for administrators).
    res.setHeader('Cache-Control', 'private, no-cache');
    res.setHeader('ETag', file.etag);
    if (file.notModified) {
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
    res.status(200).end(file.body);
  }
}
