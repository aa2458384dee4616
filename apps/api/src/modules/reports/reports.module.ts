import { Module } from '@nestjs/common';
import { ConsultationsModule } from '../consultations/consultations.module.js';
import { DiscussionModule } from '../discussion/discussion.module.js';
import { PositionsModule } from '../positions/positions.module.js';
import { ExportController } from './export.controller.js';
import { ExportService } from './export.service.js';

/** The downloads of a consultation. The report page reads GET /consultations/:slug/tally (positions module). */
@Module({
  imports: [ConsultationsModule, PositionsModule, DiscussionModule],
  controllers: [ExportController],
  providers: [ExportService],
})
export class ReportsModule {}
