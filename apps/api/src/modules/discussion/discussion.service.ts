import { Injectable } from '@nestjs/common';
import {
  quoteProblem,
  type CommentsPage,
  type CommentView,
  type CreateCommentInput,
  type ListCommentsQuery,
  type ListRevisionsQuery,
  type QuoteSelector,
  type RevisionsPage,
  type UpdateCommentInput,
} from '@forum/shared';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { badInput, conflict, forbidden, notFound } from '../../common/errors/domain-error.js';
import { ConsultationWrites, type Outbox } from '../../database/consultation-writes.js';
import { TargetsService, type ClauseRef } from '../consultations/targets.service.js';
import { canSeeCommentBody, type CommentViewer } from './comment-visibility.js';
import { decodeCursor, encodeCursor, toCommentView, toPublicCommentView, toRevisionView } from './discussion.mapper.js';
import { DiscussionRepository, type CommentRow, type ContextRow, type ModerationCommentRow, type RowReader } from './discussion.repository.js';

export type { CommentRow, ContextRow, ModerationCommentRow, RowReader };

type CommentEvent = 'comment.created' | 'comment.updated' | 'comment.deleted';

/** Threads of an item: anchors, replies, edits with revisions, soft deletes, each change live. */
@Injectable()
export class DiscussionService {
  constructor(
    private readonly repo: DiscussionRepository,
    private readonly writes: ConsultationWrites,
    private readonly targets: TargetsService,
  ) {}

  /** A page of the item's thread (or of one clause's threads), oldest first. */
  async list(slug: string, itemNumber: number, query: ListCommentsQuery, viewer: AuthUser | undefined): Promise<CommentsPage> {
    const clause = query.clause ?? null;
    const target = await this.targets.readableTarget({ slug }, { item: itemNumber, clause, clauseField: 'clause' }, viewer);
    let afterId = 0;
    if (query.cursor) {
      const id = decodeCursor(query.cursor);
      if (id === null) throw badInput('cursor', 'is not a cursor of this list (use nextCursor as given)');
      afterId = id;
    }
    const rows = await this.repo.findPage(target.consultation.id, itemNumber, clause, afterId, query.limit);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      comments: page.map((r) => toCommentView(r, viewer)),
      nextCursor: rows.length > query.limit && last ? encodeCursor(Number(last.id)) : null,
    };
  }

  async create(slug: string, itemNumber: number, input: CreateCommentInput, user: AuthUser): Promise<CommentView> {
    const { consultation } = await this.targets.readableTarget({ slug }, { item: itemNumber }, user);
    return this.writes.run(consultation.id, async (tx, outbox) => {
      const target = await this.targets.writableTarget(tx, { slug }, { item: itemNumber }, user);

      let clauseKey = input.clauseKey ?? null;
      let parent: CommentRow | null = null;
      if (input.parentId !== undefined && input.parentId !== null) {
        parent = await this.repo.findById(input.parentId, tx);
        if (!parent) throw notFound('parent comment');
        if (parent.consultation_id !== target.consultation.id || parent.item_number !== itemNumber) {
          throw badInput('parentId', `comment ${input.parentId} belongs to another item`);
        }
        if (parent.status !== 'visible') throw badInput('parentId', `cannot reply to a ${parent.status} comment`);
        if (input.clauseKey !== undefined && input.clauseKey !== null && input.clauseKey !== parent.clause_key) {
          throw badInput('clauseKey', `a reply belongs to its parent's ${parent.clause_key ? `clause ${parent.clause_key}` : 'item'}`);
        }
        // A reply carries its parent's clause, so that ?clause= returns the clause's threads whole.
        clauseKey = parent.clause_key;
      }

      const clause: ClauseRef | null = clauseKey === null ? null : await this.targets.clauseOf(target.item, clauseKey, 'clauseKey', tx);
      const clauseTexts = clause?.text ?? null;

      let quote: QuoteSelector | null = null;
      if (input.quote) {
        if (!clauseTexts) throw badInput('quote', 'a quote needs the clause it quotes (clauseKey)');
        const problem = quoteProblem(input.quote, clauseTexts[input.quote.lang]);
        if (problem) throw badInput('quote', `${problem} (clause ${clauseKey}, ${input.quote.lang})`);
        const { lang, exact, prefix, suffix, start, end } = input.quote;
        quote = { lang, exact, ...(prefix ? { prefix } : {}), ...(suffix ? { suffix } : {}), start, end };
      }

      const row = await this.repo.insert(tx, {
        consultationId: target.consultation.id,
        itemId: target.item.id,
        itemNumber,
        clauseKey,
        quote,
        parentId: parent ? Number(parent.id) : null,
        rootId: parent ? Number(parent.root_id) : null,
        depth: parent ? parent.depth + 1 : 0,
        authorId: user.id,
        body: input.body,
      });
      await publish(outbox, 'comment.created', row);
      return toCommentView(row, user);
    });
  }

  /** The author edits the body; the earlier one is kept as a revision. */
  async update(id: number, input: UpdateCommentInput, user: AuthUser): Promise<CommentView> {
    return this.writes.run(await this.consultationOf(id), async (tx, outbox) => {
      const current = await this.ownCommentForWrite(tx, id, user, 'edit');
      if (current.status !== 'visible') throw conflict(`a ${current.status} comment cannot be edited`);
      if (current.body === input.body) return toCommentView(current, user);
      const row = await this.repo.updateBody(tx, current, input.body);
      await publish(outbox, 'comment.updated', row);
      return toCommentView(row, user);
    });
  }

  /** The author's soft delete: the comment keeps its place and its replies, without its body. Repeating it changes nothing. */
  async remove(id: number, user: AuthUser): Promise<void> {
    await this.writes.run(await this.consultationOf(id), async (tx, outbox) => {
      const current = await this.ownCommentForWrite(tx, id, user, 'delete');
      if (current.status === 'deleted') return;
      const row = await this.repo.markDeleted(tx, current.id);
      await publish(outbox, 'comment.deleted', row);
    });
  }

  /**
   * Every earlier body, oldest first. Revisions are text like the body, so the same rule
   * decides: anyone for a visible comment, only the author for a hidden one, nobody for a
   * deleted one.
   */
  async revisions(id: number, query: ListRevisionsQuery, viewer: AuthUser | undefined): Promise<RevisionsPage> {
    let afterId = 0;
    if (query.cursor) {
      const after = decodeCursor(query.cursor);
      if (after === null) throw badInput('cursor', 'is not a cursor of this list (use the X-Next-Cursor given)');
      afterId = after;
    }
    const c = await this.repo.findById(id);
    if (!c) throw notFound('comment');
    await this.targets.readableTarget({ id: c.consultation_id }, { missing: 'comment' }, viewer);
    if (!canSeeCommentBody(c, viewer)) throw forbidden(`the text of a ${c.status} comment is not shown`);
    const rows = await this.repo.findRevisions(c.id, afterId, query.limit);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return { revisions: page.map(toRevisionView), nextCursor: rows.length > query.limit && last ? encodeCursor(Number(last.id)) : null };
  }

  /**
   * Every comment of a consultation in the public form (moderation applied: no hidden or
   * deleted text), by item and oldest first: for the export and the report.
   */
  async listForExport(consultationId: string): Promise<CommentView[]> {
    return (await this.repo.listByConsultation(consultationId)).map(toPublicCommentView);
  }

  /**
   * Comments as `viewer` may see them NOW, by id: what live delivery and replay send for the
   * comment events of the outbox (which store ids, never text). `db` lets the relay read over
   * its own connection.
   */
  async findViews(ids: number[], viewer: CommentViewer, read?: RowReader): Promise<Map<number, CommentView>> {
    const rows = await this.repo.findByIds([...new Set(ids)], read);
    return new Map(rows.map((r) => [Number(r.id), toCommentView(r, viewer)]));
  }

  /** One comment as `viewer` may see it, or null (for other modules, e.g. moderation). */
  async findView(id: number, viewer: CommentViewer): Promise<CommentView | null> {
    const row = await this.repo.findById(id);
    return row ? toCommentView(row, viewer) : null;
  }

  /** One comment as moderators judge it (whatever its status), or null; inside `tx`, locked until it ends. */
  async forModeration(id: number | string, tx?: EntityManager): Promise<ModerationCommentRow | null> {
    return (await this.repo.findForModeration([String(id)], tx, tx !== undefined))[0] ?? null;
  }

  /** Several comments as moderators judge them, in the order of `ids` (ids that do not exist are left out). */
  async manyForModeration(ids: string[]): Promise<ModerationCommentRow[]> {
    const byId = new Map((await this.repo.findForModeration(ids)).map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id)).filter((r): r is ModerationCommentRow => r !== undefined);
  }

  /** Where each comment sits: consultation and item titles, the clause text. */
  contextsOf(ids: string[]): Promise<ContextRow[]> {
    return this.repo.findContexts(ids);
  }

  /**
   * A moderator hides a comment (with the reason shown in its place) or restores it: call it
   * inside the moderation's write unit; the caller appends the event.
   */
  setModerationStatus(tx: EntityManager, id: string, status: 'visible' | 'hidden', hiddenReason: string | null): Promise<CommentRow> {
    return this.repo.setModerationStatus(tx, id, status, hiddenReason);
  }

  /** The consultation a comment belongs to (it never changes), to queue the write with that consultation's others. */
  private async consultationOf(id: number): Promise<string> {
    const row = await this.repo.findById(id);
    if (!row) throw notFound('comment');
    return row.consultation_id;
  }

  private async ownCommentForWrite(tx: EntityManager, id: number, user: AuthUser, what: 'edit' | 'delete') {
    const current = await this.repo.findForWrite(tx, id);
    if (!current) throw notFound('comment');
    const target = await this.targets.readableTarget({ id: current.consultation_id }, { item: current.item_number, missing: 'comment' }, user, tx);
    // Moderators hide, they do not rewrite or delete other people's words.
    if (current.author_id !== user.id) throw forbidden(`only its author may ${what} a comment`);
    this.targets.checkWrite(user, target);
    return current;
  }

}

/**
 * Appends the live event: the comment's id, never its text (the text is read and passed through
 * the visibility rule when the event is delivered or replayed). The write runs under the
 * consultation's counter lock from its first statement (ConsultationWrites), and closing a
 * consultation or locking an item takes that same lock, so the status and lock read at the
 * start of the write still hold here: no comment lands after a lock.
 */
async function publish(outbox: Outbox, type: CommentEvent, row: CommentRow): Promise<void> {
  await outbox.append(row.consultation_id, row.item_number, type, { commentId: Number(row.id) });
}
