import { Injectable } from '@nestjs/common';
import type { PositionView, Stance, TakePositionInput } from '@forum/shared';
import type { EntityManager } from 'typeorm';
import { isSuspended, type AuthUser } from '../../common/auth/auth-user.js';
import { forbidden, locked, notFound } from '../../common/errors/domain-error.js';
import { ConsultationWrites, type Outbox } from '../../database/consultation-writes.js';
import { toPositionView } from './positions.mapper.js';
import { ITEM_TARGET, PositionsRepository, type PositionRow, type PositionTarget } from './positions.repository.js';
import { checkClause, TallyService } from './tally.service.js';

interface WritableTarget {
  consultationId: string;
  itemId: string;
  itemNumber: number;
  clauseKey: string;
}

const UPSERT_ATTEMPTS = 10;

/**
 * Positions: one per participant per target (an item, or one of its clauses), guaranteed by the
 * unique key; taking another replaces it, withdrawing removes it. The kept counts and the
 * history move with each change by triggers, in the same transaction; a change of stance
 * publishes the target's new `tally.updated` through the outbox, also in that transaction.
 */
@Injectable()
export class PositionsService {
  constructor(
    private readonly repo: PositionsRepository,
    private readonly tallies: TallyService,
    private readonly writes: ConsultationWrites,
  ) {}

  async take(slug: string, itemNumber: number, user: AuthUser, input: TakePositionInput): Promise<PositionView> {
    const target = await this.writable(slug, itemNumber, user, input.clauseKey ?? null, 'clauseKey');
    const stance = input.stance;
    const reason = input.reason ? input.reason : null;
    const result = await this.writes.run(target.consultationId, async (tx, outbox) => {
      await this.assertItemOpen(tx, target);
      let previous: Stance | null = null;
      let row: PositionRow | null = null;
      for (let attempt = 0; attempt < UPSERT_ATTEMPTS && row === null; attempt++) {
        // Insert, or lock the one that is there: whoever comes second waits for the first and then updates its row.
        row = await this.repo.insertIfAbsent(tx, { ...target, userId: user.id, stance, reason });
        if (row) break;
        const existing = await this.repo.findForUpdate(tx, target.itemId, target.clauseKey, user.id);
        if (!existing) continue; // withdrawn in between: insert again
        previous = existing.stance;
        row = existing.stance === stance && existing.reason === reason ? existing : await this.repo.update(tx, existing.id, stance, reason);
        if (row === existing) return { row, changed: false };
      }
      if (!row) throw new Error('position upsert did not settle');
      await this.publish(tx, outbox, target, previous !== stance);
      return { row, changed: true };
    });
    return toPositionView(result.row);
  }

  async withdraw(slug: string, itemNumber: number, user: AuthUser, clause: string | undefined): Promise<void> {
    const target = await this.writable(slug, itemNumber, user, clause ?? null, 'clause');
    await this.writes.run(target.consultationId, async (tx, outbox) => {
      await this.assertItemOpen(tx, target);
      const removed = await this.repo.delete(tx, target.itemId, target.clauseKey, user.id);
      if (removed) await this.publish(tx, outbox, target, true);
    });
  }

  async mine(slug: string, user: AuthUser): Promise<PositionView[]> {
    const t = await this.tallies.readable(slug, null, user);
    return (await this.repo.findByParticipant(t.consultation_id, user.id)).map(toPositionView);
  }

  /** The target of a write: 404 for an unknown item, 400 for a clause not of this item, 403 when suspended, 423 when not open or locked. */
  private async writable(slug: string, itemNumber: number, user: AuthUser, clause: string | null, field: string): Promise<WritableTarget> {
    const t: PositionTarget = await this.tallies.readable(slug, itemNumber, user);
    if (clause !== null) await checkClause(this.repo, { item_id: t.item_id!, item_number: itemNumber }, clause, field);
    if (isSuspended(user)) throw forbidden('your participation is suspended; you can read but not write');
    if (t.consultation_status !== 'open') throw locked(`the consultation is ${t.consultation_status === 'closed' ? 'closed' : 'not open'}`);
    if (t.item_locked) throw locked(`item ${itemNumber} is locked`);
    return { consultationId: t.consultation_id, itemId: t.item_id!, itemNumber, clauseKey: clause ?? ITEM_TARGET };
  }

  /** The item, share-locked until commit: a moderator's lock either waits for this write or is seen by it. */
  private async assertItemOpen(tx: EntityManager, target: WritableTarget): Promise<void> {
    const item = await this.repo.lockItem(tx, target.itemId);
    if (!item) throw notFound('item');
    if (item.locked) throw locked(`item ${target.itemNumber} is locked`);
  }

  /**
   * Last in the transaction: locks the consultation's row (its seq counter), refuses the write if
   * the consultation was closed meanwhile, and publishes the target's tally as it stands with this
   * change. Holding the counter lock before reading the counts means every later event carries
   * counts that include this change, so the last `tally.updated` a viewer gets is never stale.
   */
  private async publish(tx: EntityManager, outbox: Outbox, target: WritableTarget, stanceChanged: boolean): Promise<void> {
    const status = await this.repo.lockConsultation(tx, target.consultationId);
    if (status !== 'open') throw locked(`the consultation is ${status === 'closed' ? 'closed' : 'not open'}`);
    if (!stanceChanged) return;
    const tally = await this.tallies.tallyInTransaction(tx, target.consultationId, target.itemNumber, target.clauseKey);
    await outbox.append(target.consultationId, target.itemNumber, 'tally.updated', { tally });
  }
}
