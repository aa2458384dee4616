import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ConsultationStatus, ConsultationSummary, ConsultationView, ImportConsultationInput } from '@forum/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { canSeeConsultation, type AuthUser } from '../../common/auth/auth-user.js';
import { badInput, conflict, notFound } from '../../common/errors/domain-error.js';
import { pgCode, PG } from '../../database/transaction.js';
import { ConsultationWrites } from '../../database/consultation-writes.js';
import { ConsultationsRepository } from './consultations.repository.js';
import { toConsultationSummary, toConsultationView } from './consultations.mapper.js';
import { TargetsService } from './targets.service.js';
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
    private readonly targets: TargetsService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async list(user: AuthUser | undefined): Promise<ConsultationSummary[]> {
    const rows = await this.repo.listConsultations();
    return rows.filter((r) => canSeeConsultation(r.status, user)).map(toConsultationSummary);
  }

  async get(slug: string, user: AuthUser | undefined): Promise<ConsultationView> {
    const { consultation: c } = await this.targets.readableTarget({ slug }, {}, user);
    const [items, clauses] = await Promise.all([this.repo.findItems(c.id), this.repo.findClauses(c.id)]);
    return toConsultationView(c, items, clauses);
  }

  /** The items (numbers) and clauses (keys) of a consultation, in document order: what the tallies are counted over. */
  async outline(consultationId: string): Promise<{ items: number[]; clauses: { item: number; key: string }[] }> {
    const [items, clauses] = await Promise.all([this.repo.findItems(consultationId), this.repo.findClauses(consultationId)]);
    return { items: items.map((i) => i.number), clauses: clauses.map((c) => ({ item: c.item_number, key: c.key })) };
  }

  /** The status of each of these consultations (those that exist), read in `db` (a transaction that holds their counters). */
  async statuses(ids: string[], db?: EntityManager): Promise<Map<string, ConsultationStatus>> {
    const rows = await this.repo.findStatuses(ids, db);
    return new Map(rows.map((r) => [r.id, r.status]));
  }

  /**
   * Locks or unlocks an item, inside the consultation's write unit (which the writes of the item
   * also take, so none lands after the lock). Answers false when the item already was so.
   */
  setItemLocked(tx: EntityManager, itemId: string, locked: boolean): Promise<boolean> {
    return this.repo.setItemLocked(tx, itemId, locked);
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
