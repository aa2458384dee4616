import { Injectable } from '@nestjs/common';
import {
  clauseKeyProblem,
  quoteProblem,
  type CommentsPage,
  type CommentView,
  type ConsultationStatus,
  type CreateCommentInput,
  type ListCommentsQuery,
  type ListRevisionsQuery,
  type QuoteSelector,
  type RevisionsPage,
  type UpdateCommentInput,
} from '@forum/shared';
import type { EntityManager } from 'typeorm';
import { type AuthUser, isSuspended, canSeeConsultation } from '../../common/auth/auth-user.js';
import { badInput, conflict, forbidden, locked, notFound } from '../../common/errors/domain-error.js';
import { ConsultationWrites, type Outbox } from '../../database/consultation-writes.js';
import { canSeeCommentBody, type CommentViewer } from './comment-visibility.js';
import { decodeCursor, encodeCursor, toCommentView, toPublicCommentView, toRevisionView } from './discussion.mapper.js';
import { DiscussionRepository, type CommentRow, type RowReader, type ThreadTarget } from './discussion.repository.js';

type CommentEvent = 'comment.created' | 'comment.updated' | 'comment.deleted';

/** Threads of an item: anchors, replies, edits with revisions, soft deletes, each change live. */
@Injectable()
export class DiscussionService {
  constructor(
    private readonly repo: DiscussionRepository,
    private readonly writes: ConsultationWrites,
  ) {}

  /** A page of the item's thread (or of one clause's threads), oldest first. */
  async list(slug: string, itemNumber: number, query: ListCommentsQuery, viewer: AuthUser | undefined): Promise<CommentsPage> {
    const target = readableItem(await this.repo.findTarget(slug, itemNumber), viewer);
    let afterId = 0;
    if (query.cursor) {
      const id = decodeCursor(query.cursor);
      if (id === null) throw badInput('cursor', 'is not a cursor of this list (use nextCursor as given)');
      afterId = id;
    }
    const clause = query.clause ?? null;
    if (clause !== null) {
      const problem = clauseKeyProblem(clause, itemNumber);
      if (problem) throw badInput('clause', problem);
    }
    const rows = await this.repo.findPage(target.consultationId, itemNumber, clause, afterId, query.limit);
    // An empty page is the only one that cannot tell an unknown clause from a quiet one.
    if (rows.length === 0 && clause !== null && !(await this.repo.findClauseTexts(target.itemId, clause))) {
      throw badInput('clause', `item ${itemNumber} has no clause ${clause}`);
    }
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      comments: page.map((r) => toCommentView(r, viewer)),
      nextCursor: rows.length > query.limit && last ? encodeCursor(Number(last.id)) : null,
    };
  }

  async create(slug: string, itemNumber: number, input: CreateCommentInput, user: AuthUser): Promise<CommentView> {
    const { consultationId } = readableItem(await this.repo.findTarget(slug, itemNumber), user);
    return this.writes.run(consultationId, async (tx, outbox) => {
      const target = readableItem(await this.repo.findTarget(slug, itemNumber, tx), user);
      assertMayWrite(user);
      assertWritable(target.consultationStatus, target.locked);

      let clauseKey = input.clauseKey ?? null;
      let parent: CommentRow | null = null;
      if (input.parentId !== undefined && input.parentId !== null) {
        parent = await this.repo.findById(input.parentId, tx);
        if (!parent) throw notFound('parent comment');
        if (parent.consultation_id !== target.consultationId || parent.item_number !== itemNumber) {
          throw badInput('parentId', `comment ${input.parentId} belongs to another item`);
        }
        if (parent.status !== 'visible') throw badInput('parentId', `cannot reply to a ${parent.status} comment`);
        if (input.clauseKey !== undefined && input.clauseKey !== null && input.clauseKey !== parent.clause_key) {
          throw badInput('clauseKey', `a reply belongs to its parent's ${parent.clause_key ? `clause ${parent.clause_key}` : 'item'}`);
        }
        // A reply carries its parent's clause, so that ?clause= returns the clause's threads whole.
        clauseKey = parent.clause_key;
      }

      let clauseTexts: { zh: string; en: string } | null = null;
      if (clauseKey !== null) {
        const problem = clauseKeyProblem(clauseKey, itemNumber);
        if (problem) throw badInput('clauseKey', problem);
        clauseTexts = await this.repo.findClauseTexts(target.itemId, clauseKey, tx);
        if (!clauseTexts) throw badInput('clauseKey', `item ${itemNumber} has no clause ${clauseKey}`);
      }

      let quote: QuoteSelector | null = null;
      if (input.quote) {
        if (!clauseTexts) throw badInput('quote', 'a quote needs the clause it quotes (clauseKey)');
        const problem = quoteProblem(input.quote, clauseTexts[input.quote.lang]);
        if (problem) throw badInput('quote', `${problem} (clause ${clauseKey}, ${input.quote.lang})`);
        const { lang, exact, prefix, suffix, start, end } = input.quote;
        quote = { lang, exact, ...(prefix ? { prefix } : {}), ...(suffix ? { suffix } : {}), start, end };
      }

      const row = await this.repo.insert(tx, {
        consultationId: target.consultationId,
        itemId: target.itemId,
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
    const c = await this.repo.findWithConsultationStatus(id);
    if (!c || !canSeeConsultation(c.consultation_status, viewer)) throw notFound('comment');
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

  /** The consultation a comment belongs to (it never changes), to queue the write with that consultation's others. */
  private async consultationOf(id: number): Promise<string> {
    const row = await this.repo.findById(id);
    if (!row) throw notFound('comment');
    return row.consultation_id;
  }

  private async ownCommentForWrite(tx: EntityManager, id: number, user: AuthUser, what: 'edit' | 'delete') {
    const current = await this.repo.findForWrite(tx, id);
    if (!current || !canSeeConsultation(current.consultation_status, user)) throw notFound('comment');
    // Moderators hide, they do not rewrite or delete other people's words.
    if (current.author_id !== user.id) throw forbidden(`only its author may ${what} a comment`);
    assertMayWrite(user);
    assertWritable(current.consultation_status, current.item_locked);
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

/** The item of a thread request, if this viewer may read it (drafts only for administrators). */
function readableItem(
  target: ThreadTarget | null,
  viewer: AuthUser | undefined,
): { consultationId: string; consultationStatus: ConsultationStatus; itemId: string; locked: boolean } {
  if (!target || !canSeeConsultation(target.consultation_status, viewer)) throw notFound('consultation');
  if (target.item_id === null) throw notFound('item');
  return { consultationId: target.consultation_id, consultationStatus: target.consultation_status, itemId: target.item_id, locked: target.item_locked === true };
}

function assertMayWrite(user: AuthUser): void {
  if (isSuspended(user)) throw forbidden('your account is suspended: you can read but not write');
}

function assertWritable(status: ConsultationStatus, itemLocked: boolean): void {
  if (status !== 'open') throw locked(`the consultation is ${status}: comments are closed`);
  if (itemLocked) throw locked('the item is locked: comments are closed');
}
