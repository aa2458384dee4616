import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config.js';
import { ConsultationWrites } from './consultation-writes.js';
import { dataSourceOptions } from './data-source-options.js';
import { DatabaseUrl } from './database-url.js';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig, DatabaseUrl],
      useFactory: (config: AppConfig, db: DatabaseUrl) => dataSourceOptions(db.url, config.env.DB_POOL_SIZE),
    }),
  ],
  providers: [ConsultationWrites],
  exports: [ConsultationWrites],
})
export class DatabaseModule {}
