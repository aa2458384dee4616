import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AuthCoreModule } from './common/auth/auth-core.module.js';
import { HttpExceptionFilter } from './common/errors/http-exception.filter.js';
import { ThrottleModule } from './common/throttle/throttle.module.js';
import { AppConfig } from './config/app-config.js';
import { DatabaseModule } from './database/database.module.js';
import { DatabaseUrl } from './database/database-url.js';
import { HealthController } from './health/health.controller.js';
import { ConsultationsModule } from './modules/consultations/consultations.module.js';
import { DiscussionModule } from './modules/discussion/discussion.module.js';
import { ModerationModule } from './modules/moderation/moderation.module.js';
import { ParticipantsModule } from './modules/participants/participants.module.js';
import { PositionsModule } from './modules/positions/positions.module.js';
import { ReportsModule } from './modules/reports/reports.module.js';
import { RealtimeModule } from './realtime/realtime.module.js';

/** The domain modules, one per concept of product.md. */
const DOMAIN_MODULES = [ConsultationsModule, ParticipantsModule, DiscussionModule, PositionsModule, ReportsModule, ModerationModule];

@Module({})
export class AppModule {
  static register(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [DatabaseModule, AuthCoreModule, ThrottleModule, RealtimeModule, ...DOMAIN_MODULES],
      controllers: [HealthController],
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: DatabaseUrl, useValue: new DatabaseUrl(databaseUrl) },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
      ],
      exports: [AppConfig, DatabaseUrl],
    };
  }
}
