import { Injectable } from '@nestjs/common';
import type { CommentView, ConsultationStatus, ExportQuery, LocalizedText, PositionExportRow } from '@forum/shared';
import { createHash } from 'node:crypto';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { DomainError, ErrorKind } from '../../common/errors/domain-error.js';
import { AppConfig } from '../../config/app-config.js';
import { TargetsService, type Target } from '../consultations/targets.service.js';
import { DiscussionService } from '../discussion/discussion.service.js';
import { PositionsService } from '../positions/positions.service.js';
import { BuildGate, BuildGateFull } from './build-gate.js';
import { toCsv, type CsvValue } from './csv.js';
import { ExportCache, type CachedExport } from './export-cache.js';
import { ReportsRepository } from './reports.repository.js';

export interface ConsultationExport {
  consultation: { slug: string; title: LocalizedText; status: ConsultationStatus; final: boolean; exportedAt: string };
  positions?: PositionExportRow[];
  /** The public form of every comment: a hidden or deleted comment keeps its place with no body. */
  comments?: CommentView[];
}

/** What a download answers: the file, or "not modified" when the client's ETag names this state. */
export type ExportAnswer = { notModified: true; etag: string } | ({ notModified: false } & CachedExport);

/** Bytes of built exports kept in memory per process. */
const CACHE_BYTES = 64 * 1024 * 1024;

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
 *
 * An export is built once per state of the consultation — its id, its last_seq (bumped in the
 * same transaction as every comment, edit, delete, hide, restore, position, lock and status
 * change) and the profile version — and then served from memory, with that state as its ETag
 * (If-None-Match → 304). The state is read before the build, so a build can only be newer than
 * its key, never older: a hidden or deleted text cannot come back from the cache. At most
 * EXPORT_CONCURRENCY builds run at once per process, EXPORT_QUEUE more wait, the rest are told to
 * retry; requests for a state already being built wait for that build instead of starting another.
 */
@Injectable()
export class ExportService {
  private readonly cache = new ExportCache(CACHE_BYTES);
  private readonly inFlight = new Map<string, Promise<CachedExport>>();
  readonly gate: BuildGate;
  /** Exports built since start (for the tests' figures: a cache hit builds nothing). */
  builds = 0;

  constructor(
    private readonly targets: TargetsService,
    private readonly positions: PositionsService,
    private readonly discussion: DiscussionService,
    private readonly repo: ReportsRepository,
    config: AppConfig,
  ) {
    this.gate = new BuildGate(config.env.EXPORT_CONCURRENCY, config.env.EXPORT_QUEUE);
  }

  async export(slug: string, query: ExportQuery, user: AuthUser | undefined, ifNoneMatch?: string): Promise<ExportAnswer> {
    const { consultation: c } = await this.targets.readableTarget({ slug }, {}, user);
    // Without its last_seq the key would never change and a withdrawn text could be served from
    // memory: refuse loudly rather than cache blindly.
    if (c.last_seq === undefined || c.last_seq === null) throw new Error('the consultation was read without last_seq: exports cannot be cached safely');
    const profiles = await this.repo.profileVersion();
    const state = `${c.id}|${c.last_seq}|${profiles}`;
    const key = `${state}|${query.format}|${query.data}`;
    // Weak: two processes (or two builds) of one state differ in `exportedAt`, not in what they say.
    const tag = `"${createHash('sha256').update(key).digest('base64url').slice(0, 32)}"`;
    const etag = `W/${tag}`;
    if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === tag || t.trim() === '*')) return { notModified: true, etag };

    const cached = this.cache.get(key);
    if (cached) return { notModified: false, ...cached };
    let building = this.inFlight.get(key);
    if (!building) {
      building = this.gate
        .run(() => this.build(c, query, etag))
        .then((file) => {
          this.cache.set(key, file, (k) => k.split('|').slice(0, 3).join('|'));
          return file;
        })
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, building);
    }
    try {
      return { notModified: false, ...(await building) };
    } catch (err) {
      if (err instanceof BuildGateFull) throw new ExportsBusy(err.retryAfterSeconds);
      throw err;
    }
  }

  private async build(c: Target['consultation'], query: ExportQuery, etag: string): Promise<CachedExport> {
    this.builds += 1;
    const slug = c.slug;
    const withPositions = query.data !== 'comments';
    const withComments = query.data !== 'positions';
    const [positions, comments] = await Promise.all([
      withPositions ? this.positions.listForExport(c.id) : Promise.resolve([] as PositionExportRow[]),
      withComments ? this.discussion.listForExport(c.id) : Promise.resolve([]),
    ]);
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
      return { consultationId: c.id, filename: `${name}.json`, contentType: 'application/json; charset=utf-8', etag, body: Buffer.from(JSON.stringify(body)) };
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
    return { consultationId: c.id, filename: `${name}.csv`, contentType: 'text/csv; charset=utf-8; header=present', etag, body: Buffer.from(toCsv(CSV_COLUMNS, rows)) };
  }
}

/** Every build slot taken and the queue full: 429 with Retry-After (the client retries; others' requests are unaffected). */
export class ExportsBusy extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super(ErrorKind.TooMany, `too many exports are being built; try again in ${retryAfterSeconds} s`);
  }
}
