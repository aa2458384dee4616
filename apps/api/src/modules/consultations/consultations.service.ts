import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ConsultationStatus, ConsultationSummary, ConsultationView, ImportConsultationInput } from '@forum/shared';
import type { DataSource } from 'typeorm';
import { canSeeConsultation, type AuthUser } from '../../common/auth/auth-user.js';
import { badInput, conflict, notFound } from '../../common/errors/domain-error.js';
import { pgCode, PG } from '../../database/transaction.js';
import { ConsultationWrites } from '../../database/consultation-writes.js';
import { ConsultationsRepository, type ConsultationRow } from './consultations.repository.js';
import { toConsultationSummary, toConsultationView } from './consultations.mapper.js';
import { buildDocument, ImportError, parseSourceMarkdown, parseTranslationMarkdown, type ImportedDocument } from './importer.js';

const HAS_CJK = /[\u3400-\u9fff]/;

/** Turns the Markdown of an import into an aligned document; a parse problem is a 400 naming the field. */
export function importMarkdown(markdown: string | undefined, markdownEn: string | undefined): ImportedDocument {
  try {
    const source = markdown ? parseSourceMarkdown(markdown) : null;
    const sourceIsChinese = markdown ? HAS_CJK.test(markdown) : false;
    const zh = sourceIsChinese ? source : null;
    const en = markdownEn ? parseTranslationMarkdown(markdownEn) : sourceIsChinese ? null : source;
    return buildDocument(zh, en);
  } catch (err) {
    if (err instanceof ImportError) throw badInput(err.field, err.message);
    throw err;
  }
}

@Injectable()
export class ConsultationsService {
  private readonly logger = new Logger('Consultations');

  constructor(
    private readonly repo: ConsultationsRepository,
    private readonly writes: ConsultationWrites,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async list(user: AuthUser | undefined): Promise<ConsultationSummary[]> {
    const rows = await this.repo.listConsultations();
    return rows.filter((r) => canSeeConsultation(r.status, user)).map(toConsultationSummary);
  }

  async get(slug: string, user: AuthUser | undefined): Promise<ConsultationView> {
    const c = await this.visible(slug, user);
    const [items, clauses] = await Promise.all([this.repo.findItems(c.id), this.repo.findClauses(c.id)]);
    return toConsultationView(c, items, clauses);
  }

  /** The consultation if this user may see it (drafts only for administrators), else 404. */
  async visible(slug: string, user: AuthUser | undefined): Promise<ConsultationRow> {
    const c = await this.repo.findBySlug(slug);
    if (!c || !canSeeConsultation(c.status, user)) throw notFound('consultation');
    return c;
  }

  async import(slug: string, doc: ImportedDocument, status: ConsultationStatus): Promise<ConsultationView> {
    try {
      await this.db.transaction((tx) => this.repo.insertDocument(tx, slug, doc, status));
    } catch (err) {
      if (pgCode(err) === PG.uniqueViolation) throw conflict(`a consultation with slug "${slug}" already exists`);
      throw err;
    }
    this.logger.log(`imported "${slug}": ${doc.items.length} items, ${doc.items.reduce((n, i) => n + i.clauses.length, 0)} clauses`);
    return this.get(slug, { role: 'admin' } as AuthUser);
  }

  importFromInput(input: ImportConsultationInput): Promise<ConsultationView> {
    return this.import(input.slug, importMarkdown(input.markdown, input.markdownEn), input.status);
  }

  /** Opens or closes a consultation; viewers learn of it live. */
  async setStatus(slug: string, status: ConsultationStatus): Promise<ConsultationSummary> {
    const found = await this.repo.findBySlug(slug);
    if (!found) throw notFound('consultation');
    // Through the consultation's write unit: the status changes between two writes, never inside one.
    const row = await this.writes.run(found.id, async (tx, outbox) => {
      const c = (await this.repo.findBySlug(slug, tx))!;
      const updated = await this.repo.setStatus(tx, c.id, status);
      if (c.status !== status) await outbox.append(c.id, null, 'consultation.updated', { status });
      return updated;
    });
    return toConsultationSummary(row);
  }

  async exists(slug: string): Promise<boolean> {
    return (await this.repo.findBySlug(slug)) !== null;
  }
}
