import { Injectable } from '@nestjs/common';
import type { PositionExportRow, PositionView, Stance, TakePositionInput } from '@forum/shared';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { ConsultationWrites, type Outbox } from '../../database/consultation-writes.js';
import { TargetsService } from '../consultations/targets.service.js';
import { toPositionView } from './positions.mapper.js';
import { ITEM_TARGET, PositionsRepository, type PositionRow } from './positions.repository.js';
import { TallyService } from './tally.service.js';

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
    private readonly targets: TargetsService,
  ) {}

  async take(slug: string, itemNumber: number, user: AuthUser, input: TakePositionInput): Promise<PositionView> {
    const stance = input.stance;
    const reason = input.reason ? input.reason : null;
    const { consultation } = await this.targets.readableTarget({ slug }, { item: itemNumber }, user);
    const result = await this.writes.run(consultation.id, async (tx, outbox) => {
      const target = await this.writable(tx, slug, itemNumber, user, input.clauseKey ?? null, 'clauseKey');
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
    const { consultation } = await this.targets.readableTarget({ slug }, { item: itemNumber }, user);
    await this.writes.run(consultation.id, async (tx, outbox) => {
      const target = await this.writable(tx, slug, itemNumber, user, clause ?? null, 'clause');
      const removed = await this.repo.delete(tx, target.itemId, target.clauseKey, user.id);
      if (removed) await this.publish(tx, outbox, target, true);
    });
  }

  async mine(slug: string, user: AuthUser): Promise<PositionView[]> {
    const { consultation } = await this.targets.readableTarget({ slug }, {}, user);
    return (await this.repo.findByParticipant(consultation.id, user.id)).map(toPositionView);
  }

  /** Every position of a consultation with its participant's public profile (never an e-mail address): for the export. */
  async listForExport(consultationId: string): Promise<PositionExportRow[]> {
    return (await this.repo.positionsForExport(consultationId)).map((p) => ({
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
  }

  /**
   * The target of a write, read inside its transaction (which holds the consultation's counter,
   * as closing and locking do): 404 for an unknown item, 400 for a clause not of this item, 403
   * when suspended, 423 when not open or locked.
   */
  private async writable(tx: EntityManager, slug: string, itemNumber: number, user: AuthUser, clause: string | null, field: string): Promise<WritableTarget> {
    const t = await this.targets.writableTarget(tx, { slug }, { item: itemNumber, clause, clauseField: field }, user);
    return { consultationId: t.consultation.id, itemId: t.item.id, itemNumber, clauseKey: clause ?? ITEM_TARGET };
  }

  /**
   * Last in the transaction: publishes the target's tally as it stands with this change. The
   * transaction holds the consultation's counter from its first statement (the write unit), so
   * every later event carries counts that include this change: the last `tally.updated` a viewer
   * gets is never stale.
   */
  private async publish(tx: EntityManager, outbox: Outbox, target: WritableTarget, stanceChanged: boolean): Promise<void> {
    if (!stanceChanged) return;
    const tally = await this.tallies.tallyInTransaction(tx, target.consultationId, target.itemNumber, target.clauseKey);
    await outbox.append(target.consultationId, target.itemNumber, 'tally.updated', { tally });
  }
}
