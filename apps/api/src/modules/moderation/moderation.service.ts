import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  CommentView,
  ItemLockView,
  LockItemInput,
  ModerationLogEntry,
  ModerationLogQuery,
  PublicModerationLogEntry,
  SuspendUserInput,
  SuspensionView,
} from '@forum/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { badInput, conflict, forbidden, notFound } from '../../common/errors/domain-error.js';
import { ConsultationWrites } from '../../database/consultation-writes.js';
import { ConsultationsService } from '../consultations/consultations.service.js';
import { TargetsService } from '../consultations/targets.service.js';
import { toCommentView } from '../discussion/discussion.mapper.js';
import { DiscussionService, type ModerationCommentRow } from '../discussion/discussion.service.js';
import { ParticipantsService } from '../participants/participants.service.js';
import { actorProblem, commentActionProblem, suspensionProblem } from './moderation-policy.js';
import { toLogEntry, toPublicLogEntry, toSuspensionView } from './moderation.mapper.js';
import { ModerationRepository } from './moderation.repository.js';
import { NotificationsService } from './notifications.service.js';

/**
 * The moderators' actions. Each states a reason, is written to the append-only log, tells the
 * participant concerned, and — where viewers see a change — appends the live event through the
 * outbox, all in one transaction (the outbox append last: it holds the consultation's counter).
 */
@Injectable()
export class ModerationService {
  constructor(
    private readonly repo: ModerationRepository,
    private readonly notifications: NotificationsService,
    private readonly writes: ConsultationWrites,
    private readonly targets: TargetsService,
    private readonly consultations: ConsultationsService,
    private readonly comments: DiscussionService,
    private readonly participants: ParticipantsService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /** Hides a comment: it keeps its place with its reason; only its author still reads it. Its open flags are settled. */
  async hide(id: number, reason: string, actor: AuthUser): Promise<CommentView> {
    return this.writes.run(await this.consultationOfComment(id), async (tx, outbox) => {
      const c = await this.commentToModerate(tx, id, actor);
      if (c.status !== 'visible') throw conflict(`the comment is ${c.status}: only a visible comment can be hidden`);
      const row = await this.comments.setModerationStatus(tx, c.id, 'hidden', reason);
      const log = await this.repo.appendLog(tx, commentLog(actor, 'hide', c, reason));
      await this.repo.resolveFlags(tx, c.id, 'hidden', log.id);
      await this.notifications.notify(tx, { userId: c.author_id, type: 'comment.hidden', logId: log.id, reason, comment: commentRef(c) });
      await outbox.append(c.consultation_id, c.item_number, 'comment.hidden', { commentId: Number(row.id) });
      return toCommentView(row, actor);
    });
  }

  /** Shows a hidden comment again. */
  async restore(id: number, reason: string, actor: AuthUser): Promise<CommentView> {
    return this.writes.run(await this.consultationOfComment(id), async (tx, outbox) => {
      const c = await this.commentToModerate(tx, id, actor);
      if (c.status !== 'hidden') throw conflict(`the comment is ${c.status}: only a hidden comment can be restored`);
      const row = await this.comments.setModerationStatus(tx, c.id, 'visible', null);
      const log = await this.repo.appendLog(tx, commentLog(actor, 'restore', c, reason));
      await this.notifications.notify(tx, { userId: c.author_id, type: 'comment.restored', logId: log.id, reason, comment: commentRef(c) });
      await outbox.append(c.consultation_id, c.item_number, 'comment.restored', { commentId: Number(row.id) });
      return toCommentView(row, actor);
    });
  }

  /** Settles a comment's open flags without hiding it: it leaves the queue. Nothing changes for viewers or the author. */
  dismiss(id: number, reason: string, actor: AuthUser): Promise<CommentView> {
    return this.db.transaction(async (tx) => {
      const c = await this.commentToModerate(tx, id, actor);
      const log = await this.repo.appendLog(tx, commentLog(actor, 'dismiss', c, reason));
      const settled = await this.repo.resolveFlags(tx, c.id, 'dismissed', log.id);
      // Throwing rolls the log entry back with the rest.
      if (settled === 0) throw conflict('the comment has no open flags to dismiss');
      return toCommentView(c, actor);
    });
  }

  /** Locks (or unlocks) an item's discussion: new comments, edits and deletions answer 423 while it is locked. */
  async lock(slug: string, itemNumber: number, input: LockItemInput, actor: AuthUser): Promise<ItemLockView> {
    assertMayAct(actor);
    const { consultation } = await this.targets.readableTarget({ slug }, {}, actor);
    return this.writes.run(consultation.id, async (tx, outbox) => {
      // Under the consultation's counter, which every write of the item takes first: none lands after the lock.
      const { item } = await this.targets.readableTarget({ slug }, { item: itemNumber }, actor, tx);
      if (!(await this.consultations.setItemLocked(tx, item.id, input.locked))) {
        throw conflict(`item ${itemNumber} is already ${input.locked ? 'locked' : 'unlocked'}`);
      }
      await this.repo.appendLog(tx, {
        moderatorId: actor.id,
        action: input.locked ? 'lock' : 'unlock',
        targetType: 'item',
        consultationId: consultation.id,
        itemNumber,
        reason: input.reason,
      });
      await outbox.append(consultation.id, itemNumber, 'item.locked', { item: itemNumber, locked: input.locked });
      return { consultation: slug, item: itemNumber, locked: input.locked };
    });
  }

  /**
   * Suspends a participant until a future time (they keep reading; writing answers 403), or,
   * with `until: null`, lifts a suspension early (logged as `unsuspend`). Changing the end of a
   * running suspension is a new `suspend`.
   */
  suspend(userId: string, input: SuspendUserInput, actor: AuthUser, now = new Date()): Promise<SuspensionView> {
    assertMayAct(actor);
    if (input.until !== null && input.until.getTime() <= now.getTime()) {
      throw badInput('until', 'must be in the future (send null to lift a suspension)');
    }
    return this.db.transaction(async (tx) => {
      const target = await this.participants.lockForSuspension(tx, userId);
      if (!target) throw notFound('user');
      const problem = suspensionProblem(actor, target);
      if (problem) throw forbidden(problem);
      const suspended = target.suspended_until !== null && new Date(target.suspended_until).getTime() > now.getTime();
      if (input.until === null && !suspended) throw conflict('the participant is not suspended');
      const updated = await this.participants.setSuspendedUntil(tx, target.id, input.until);
      const log = await this.repo.appendLog(tx, {
        moderatorId: actor.id,
        action: input.until === null ? 'unsuspend' : 'suspend',
        targetType: 'user',
        subjectUserId: target.id,
        reason: input.reason,
        until: input.until,
      });
      await this.notifications.notify(tx, {
        userId: target.id,
        type: input.until === null ? 'account.unsuspended' : 'account.suspended',
        logId: log.id,
        reason: input.reason,
        until: input.until,
      });
      return toSuspensionView(updated);
    });
  }

  /** The whole log for moderators, newest first, with who acted. */
  async log(query: ModerationLogQuery): Promise<ModerationLogEntry[]> {
    return (await this.repo.findLog(query.before ?? null, query.limit)).map(toLogEntry);
  }

  /** A consultation's public log: the same actions and reasons, never who acted. */
  async publicLog(slug: string, query: ModerationLogQuery, viewer: AuthUser | undefined): Promise<PublicModerationLogEntry[]> {
    const { consultation: c } = await this.targets.readableTarget({ slug }, {}, viewer);
    return (await this.repo.findConsultationLog(c.id, query.before ?? null, query.limit)).map(toPublicLogEntry);
  }

  /** The consultation of a comment, to queue a change that viewers see with that consultation's other writes. */
  private async consultationOfComment(id: number): Promise<string> {
    const c = await this.comments.forModeration(id);
    if (!c) throw notFound('comment');
    return c.consultation_id;
  }

  /** The comment, locked for the transaction, if this actor may act on it. */
  private async commentToModerate(tx: EntityManager, id: number, actor: AuthUser): Promise<ModerationCommentRow> {
    assertMayAct(actor);
    const c = await this.comments.forModeration(id, tx);
    if (!c) throw notFound('comment');
    await this.targets.readableTarget({ id: c.consultation_id }, { missing: 'comment' }, actor, tx);
    const problem = commentActionProblem(actor, { id: c.author_id, role: c.author_role });
    if (problem) throw forbidden(problem);
    return c;
  }
}

/** The route guard already asks for the role; this also stops a suspended moderator. */
function assertMayAct(actor: AuthUser): void {
  const problem = actorProblem(actor);
  if (problem) throw forbidden(problem);
}

function commentLog(actor: AuthUser, action: 'hide' | 'restore' | 'dismiss', c: ModerationCommentRow, reason: string) {
  return {
    moderatorId: actor.id,
    action,
    targetType: 'comment' as const,
    consultationId: c.consultation_id,
    itemNumber: c.item_number,
    clauseKey: c.clause_key,
    commentId: c.id,
    subjectUserId: c.author_id,
    reason,
  };
}

function commentRef(c: ModerationCommentRow) {
  return { id: Number(c.id), consultation: c.consultation_slug, itemNumber: c.item_number, clauseKey: c.clause_key };
}
