import { Module } from '@nestjs/common';
import { ConsultationSeeder } from './consultation-seeder.js';
import { ConsultationsController } from './consultations.controller.js';
import { ConsultationsRepository } from './consultations.repository.js';
import { ConsultationsService } from './consultations.service.js';
import { TargetsService } from './targets.service.js';

/**
 * Consultations, their items and clauses. Other modules read them through TargetsService (the
 * readable target and the write check) and ConsultationsService, never through the repository.
 */
@Module({
  controllers: [ConsultationsController],
  providers: [ConsultationsRepository, ConsultationsService, TargetsService, ConsultationSeeder],
  exports: [ConsultationsService, TargetsService],
})
export class ConsultationsModule {}
