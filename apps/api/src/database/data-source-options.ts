import type { DataSourceOptions } from 'typeorm';
import { migrations } from '../../../../migrations/index.js';

/** Entities are registered by each module through TypeOrmModule.forFeature (autoLoadEntities). */
export function dataSourceOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations,
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: {
      max: poolSize,
      // A stopped database must surface as a quick 503, not a hung request.
      connectionTimeoutMillis: 3000,
      query_timeout: 15000,
      application_name: 'consultation-forum',
    },
  };
}
