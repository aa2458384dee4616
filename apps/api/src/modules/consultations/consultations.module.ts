import { Module } from '@nestjs/common';
import { ConsultationSeeder } from './consultation-seeder.js';
import { ConsultationsController } from './consultations.controller.js';
import { ConsultationsRepository } from './consultations.repository.js';
import { ConsultationsService } from './consultations.service.js';

@Module({
  controllers: [ConsultationsController],
  providers: [ConsultationsRepository, ConsultationsService, ConsultationSeeder],
  exports: [ConsultationsService, ConsultationsRepository],
})
export class ConsultationsModule {}
