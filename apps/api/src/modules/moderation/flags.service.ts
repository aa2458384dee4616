import { Injectable } from '@nestjs/common';
import type {
  FlagCommentInput,
  FlagReceipt,
  ModerationCommentDetail,
  ModerationLogEntry,
  ModerationQueueEntry,
  ModerationQueueQuery,
} from '@forum/shared';
import { canSeeConsultation, type AuthUser } from '../../common/auth/auth-user.js';
import { conflict, forbidden, notFound } from '../../common/errors/domain-error.js';
import { TargetsService } from '../consultations/targets.service.js';
import { DiscussionService } from '../discussion/discussion.service.js';
import { toContext, toFlagView, toLogEntry, toModerationCommentView } from './moderation.mapper.js';
import { ModerationRepository, type LogRow } from './moderation.repository.js';

/** How many earlier actions of an author's record the queue shows with each comment. */
export const AUTHOR_HISTORY_LIMIT = 20;

/** Participants' flags, and the queue in which moderators read them. */
@Injectable()
export class FlagsService {
  constructor(
    private readonly repo: ModerationRepository,
    private readonly comments: DiscussionService,
    private readonly targets: TargetsService,
  ) {}

  /**
   * A participant flags a visible comment of someone else's, once. Flags are allowed in a closed
   * consultation or a locked item too: moderation goes on after the discussion stops.
   */
  async flag(commentId: number, input: FlagCommentInput, user: AuthUser): Promise<FlagReceipt> {
    this.targets.checkWrite(user);
    const c = await this.comments.forModeration(commentId);
    if (!c) throw notFound('comment');
    await this.targets.readableTarget({ id: c.consultation_id }, { missing: 'comment' }, user);
    if (c.author_id === user.id) throw forbidden('you cannot flag your own comment');
    if (c.status !== 'visible') throw conflict(`the comment is ${c.status}: there is nothing left to flag`);
    const note = input.note ? input.note : null;
    const flag = await this.repo.insertFlag(c.id, user.id, input.reason, note);
    if (!flag) throw conflict('you have already flagged this comment');
    return { id: Number(flag.id), commentId: Number(c.id), reason: input.reason, note, createdAt: new Date(flag.created_at).toISOString() };
  }

  /** Flagged comments, most flagged first, each with its open flags, its context and its author's record. */
  async queue(query: ModerationQueueQuery, actor: AuthUser): Promise<ModerationQueueEntry[]> {
    // Comments of drafts only for whoever may see drafts (the one draft rule).
    const queued = await this.repo.findQueue(query.limit, query.offset, canSeeConsultation('draft', actor));
    if (queued.length === 0) return [];
    const ids = queued.map((q) => q.comment_id);
    const comments = byKey(await this.comments.manyForModeration(ids), (c) => c.id);
    const rows = queued.flatMap((q) => {
      const c = comments.get(q.comment_id);
      return c ? [{ ...c, ...q }] : [];
    });
    const [flags, contexts, parents, histories] = await Promise.all([
      this.repo.findFlags(ids, true),
      this.comments.contextsOf(ids),
      this.comments.manyForModeration(unique(rows.map((r) => r.parent_id).filter((p): p is string => p !== null))),
      this.repo.findAuthorHistories(unique(rows.map((r) => r.author_id)), AUTHOR_HISTORY_LIMIT),
    ]);
    const ctxById = byKey(contexts, (c) => c.comment_id);
    const parentById = byKey(parents, (p) => p.id);
    const historyByUser = groupBy(histories, (h) => h.subject_user_id!);
    const flagsByComment = groupBy(flags, (f) => f.comment_id);
    return rows.map((r) => ({
      ...toModerationCommentView(r),
      flagCount: r.flag_count,
      firstFlaggedAt: new Date(r.first_flagged_at).toISOString(),
      lastFlaggedAt: new Date(r.last_flagged_at).toISOString(),
      flags: (flagsByComment.get(r.id) ?? []).map(toFlagView),
      context: toContext(r, ctxById.get(r.id)!, r.parent_id === null ? null : (parentById.get(r.parent_id) ?? null)),
      authorHistory: (historyByUser.get(r.author_id) ?? []).map(toLogEntry),
      authorSuspendedUntil: r.author_suspended_until ? new Date(r.author_suspended_until).toISOString() : null,
    }));
  }

  /** One comment for judging, whatever its status: its text (hidden included), every flag, what was done to it. */
  async detail(commentId: number, actor: AuthUser): Promise<ModerationCommentDetail> {
    const c = await this.comments.forModeration(commentId);
    if (!c) throw notFound('comment');
    await this.targets.readableTarget({ id: c.consultation_id }, { missing: 'comment' }, actor);
    const [flags, contexts, parents, history, authorHistory] = await Promise.all([
      this.repo.findFlags([c.id], false),
      this.comments.contextsOf([c.id]),
      this.comments.manyForModeration(c.parent_id === null ? [] : [c.parent_id]),
      this.repo.findCommentHistory(c.id),
      this.repo.findAuthorHistories([c.author_id], AUTHOR_HISTORY_LIMIT),
    ]);
    return {
      comment: toModerationCommentView(c),
      context: toContext(c, contexts[0]!, parents[0] ?? null),
      flags: flags.map(toFlagView),
      history: history.map(toLogEntry),
      authorHistory: authorHistory.map((h: LogRow): ModerationLogEntry => toLogEntry(h)),
      authorSuspendedUntil: c.author_suspended_until ? new Date(c.author_suspended_until).toISOString() : null,
    };
  }
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function byKey<T>(xs: T[], key: (x: T) => string): Map<string, T> {
  return new Map(xs.map((x) => [key(x), x]));
}

function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = out.get(k);
    if (list) list.push(x);
    else out.set(k, [x]);
  }
  return out;
}
