import { Module } from '@nestjs/common';
import { ConsultationsModule } from '../consultations/consultations.module.js';
import { DiscussionModule } from '../discussion/discussion.module.js';
import { PositionsModule } from '../positions/positions.module.js';
import { ExportController } from './export.controller.js';
import { ExportRateGuard } from './export-rate.guard.js';
import { ExportService } from './export.service.js';
import { ReportsRepository } from './reports.repository.js';

/** The downloads of a consultation (cached per state, limited per address, built a few at a time). The report page reads GET /consultations/:slug/tally (positions module). */
@Module({
  imports: [ConsultationsModule, PositionsModule, DiscussionModule],
  controllers: [ExportController],
  providers: [ExportService, ExportRateGuard, ReportsRepository],
})
export class ReportsModule {}
