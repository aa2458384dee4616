import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { SEEDED_CONSULTATION_SLUG } from '@forum/shared';
import { AppConfig } from '../../config/app-config.js';
import { DomainError, ErrorKind } from '../../common/errors/domain-error.js';
import { ConsultationsService, importMarkdown } from './consultations.service.js';

/** The project's own copy of the plan and its English working translation. */
export function readSeed(): { zh: string; en: string } {
  return {
    zh: readFileSync(new URL('./seed/action-plan.zh.md', import.meta.url), 'utf8'),
    en: readFileSync(new URL('./seed/action-plan.en.md', import.meta.url), 'utf8'),
  };
}

/** Seeds the Global AI Governance Action Plan, open, at first start; later starts find it and leave it. */
@Injectable()
export class ConsultationSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('Seeder');

  constructor(
    private readonly consultations: ConsultationsService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.env.SEED !== 'true') return;
    if (await this.consultations.exists(SEEDED_CONSULTATION_SLUG)) return;
    const seed = readSeed();
    try {
      await this.consultations.import(SEEDED_CONSULTATION_SLUG, importMarkdown(seed.zh, seed.en), 'open');
      this.logger.log(`seeded ${SEEDED_CONSULTATION_SLUG}`);
    } catch (err) {
      // another process seeded it first
      if (!(err instanceof DomainError && err.kind === ErrorKind.Conflict)) throw err;
    }
  }
}
