import { Injectable } from '@nestjs/common';
import type { CommentView, ConsultationStatus, ExportQuery, LocalizedText, PositionExportRow } from '@forum/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { ConsultationsService } from '../consultations/consultations.service.js';
import { DiscussionService } from '../discussion/discussion.service.js';
import { ITEM_TARGET, PositionsRepository } from '../positions/positions.repository.js';
import { toCsv, type CsvValue } from './csv.js';

export interface ConsultationExport {
  consultation: { slug: string; title: LocalizedText; status: ConsultationStatus; final: boolean; exportedAt: string };
  positions?: PositionExportRow[];
  /** The public form of every comment: a hidden or deleted comment keeps its place with no body. */
  comments?: CommentView[];
}

export interface ExportFile {
  filename: string;
  contentType: string;
  body: string | ConsultationExport;
}

/** One CSV for both kinds of record: `record` says which, the columns of the other kind stay empty. */
export const CSV_COLUMNS = [
  'record',
  'item',
  'clause',
  'participant',
  'stakeholder_group',
  'organization',
  'verified',
  'stance',
  'reason',
  'updated_at',
  'comment_id',
  'parent_id',
  'status',
  'hidden_reason',
  'body',
  'quote',
  'created_at',
  'edited_at',
] as const;

/**
 * The downloads of a consultation: its positions (participants' public profile, never an e-mail
 * address) and its comments with moderation applied (DiscussionService.listForExport, which
 * follows the one visibility rule of comment-visibility.ts).
 */
@Injectable()
export class ExportService {
  constructor(
    private readonly consultations: ConsultationsService,
    private readonly positions: PositionsRepository,
    private readonly discussion: DiscussionService,
  ) {}

  async export(slug: string, query: ExportQuery, user: AuthUser | undefined): Promise<ExportFile> {
    const c = await this.consultations.visible(slug, user);
    const withPositions = query.data !== 'comments';
    const withComments = query.data !== 'positions';
    const [positionRows, comments] = await Promise.all([
      withPositions ? this.positions.positionsForExport(c.id) : Promise.resolve([]),
      withComments ? this.discussion.listForExport(c.id) : Promise.resolve([]),
    ]);
    const positions: PositionExportRow[] = positionRows.map((p) => ({
      participant: p.display_name,
      stakeholderGroup: p.stakeholder_group,
      organization: p.organization,
      verified: p.verified,
      item: p.item_number,
      clause: p.clause_key === ITEM_TARGET ? null : p.clause_key,
      stance: p.stance,
      reason: p.reason,
      updatedAt: new Date(p.updated_at).toISOString(),
    }));
    const name = `${slug}-${query.data === 'all' ? 'export' : query.data}`;

    if (query.format === 'json') {
      const body: ConsultationExport = {
        consultation: {
          slug: c.slug,
          title: { zh: c.title_zh, en: c.title_en },
          status: c.status,
          final: c.status === 'closed',
          exportedAt: new Date().toISOString(),
        },
        ...(withPositions ? { positions } : {}),
        ...(withComments ? { comments } : {}),
      };
      return { filename: `${name}.json`, contentType: 'application/json; charset=utf-8', body };
    }

    const rows: CsvValue[][] = [];
    for (const p of positions) {
      rows.push(['position', p.item, p.clause, p.participant, p.stakeholderGroup, p.organization, p.verified, p.stance, p.reason, p.updatedAt]);
    }
    for (const k of comments) {
      rows.push([
        'comment',
        k.itemNumber,
        k.clauseKey,
        k.author.displayName,
        k.author.stakeholderGroup,
        k.author.organization,
        k.author.verified,
        null,
        null,
        null,
        k.id,
        k.parentId,
        k.status,
        k.hiddenReason,
        k.body,
        k.quote?.exact ?? null,
        k.createdAt,
        k.editedAt,
      ]);
    }
    for (const r of rows) while (r.length < CSV_COLUMNS.length) r.push(null);
    return { filename: `${name}.csv`, contentType: 'text/csv; charset=utf-8; header=present', body: toCsv(CSV_COLUMNS, rows) };
  }
}
