import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

@Injectable()
export class ReportsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The number a trigger on users moves whenever a public profile changes (migration
   * create-profile-versions): exports show names, groups, organisations and verified marks.
   */
  async profileVersion(): Promise<string> {
    // No row until the first change after the migration.
    const rows: { version: string }[] = await this.db.query(`SELECT version FROM profile_versions`);
    return rows[0]?.version ?? '0';
  }
}
