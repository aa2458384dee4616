import { Module } from '@nestjs/common';
import { ConsultationsModule } from '../consultations/consultations.module.js';
import { PositionsController } from './positions.controller.js';
import { PositionsRepository } from './positions.repository.js';
import { PositionsService } from './positions.service.js';
import { TallyService } from './tally.service.js';

@Module({
  imports: [ConsultationsModule],
  controllers: [PositionsController],
  providers: [PositionsRepository, PositionsService, TallyService],
  exports: [PositionsService, TallyService],
})
export class PositionsModule {}
