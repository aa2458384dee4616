import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { Public } from '../common/auth/decorators.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * 200 when the database answers; 503 when it does not, saying only "database unavailable": a
   * driver's message names hosts, ports and users, which are nobody's business on a public address.
   */
  @Public()
  @Get()
  async health(@Res() res: Response): Promise<void> {
    const started = Date.now();
    try {
      await Promise.race([
        this.db.query('SELECT 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 2 s')), 2000).unref()),
      ]);
      res.status(200).json({ status: 'ok', database: { status: 'up', latencyMs: Date.now() - started } });
    } catch {
      res.status(503).json({ status: 'unavailable', database: { status: 'down', reason: 'database unavailable' } });
    }
  }
}
