import type { DataSourceOptions } from 'typeorm';
import { migrations } from '../../../../migrations/index.js';

/** No entities: each module's repository speaks SQL to its own tables, and the schema is the migrations'. */
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
