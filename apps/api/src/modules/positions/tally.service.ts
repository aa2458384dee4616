import { Injectable } from '@nestjs/common';
import {
  STAKEHOLDER_GROUPS,
  countsFromRows,
  type ConsultationTallyView,
  type CountsByGroup,
  type ItemTallyView,
  type StakeholderGroup,
  type TallyCheckView,
  type TallyView,
} from '@forum/shared';
import type { EntityManager } from 'typeorm';
import { canSeeConsultation, type AuthUser } from '../../common/auth/auth-user.js';
import { badInput, notFound } from '../../common/errors/domain-error.js';
import type { Outbox } from '../../database/consultation-writes.js';
import { ConsultationsRepository } from '../consultations/consultations.repository.js';
import { emptyCoverage, toTallyView, type VerifiedFilter } from './positions.mapper.js';
import { ITEM_TARGET, PositionsRepository, type PositionTarget } from './positions.repository.js';

/** A clause key that is well-formed but must belong to the item: 400 naming the field otherwise. */
export async function checkClause(repo: PositionsRepository, target: { item_id: string; item_number: number }, clause: string, field: string): Promise<void> {
  const owner = Number(clause.split('.')[0]);
  if (owner !== target.item_number) throw badInput(field, `clause ${clause} belongs to item ${owner}, not item ${target.item_number}`);
  if (!(await repo.clauseExists(target.item_id, clause))) throw badInput(field, `item ${target.item_number} has no clause ${clause}`);
}

/**
 * Tallies read from the kept counts (never from the positions), so a read costs the same at a
 * thousand positions or a million; and the check that recounts the positions.
 */
@Injectable()
export class TallyService {
  constructor(
    private readonly repo: PositionsRepository,
    private readonly documents: ConsultationsRepository,
  ) {}

  /** The consultation if this user may read it (a draft only for administrators), else 404. */
  async readable(slug: string, itemNumber: number | null, user: AuthUser | undefined): Promise<PositionTarget> {
    const t = await this.repo.findTarget(slug, itemNumber);
    if (!t || !canSeeConsultation(t.consultation_status, user)) throw notFound('consultation');
    if (itemNumber !== null && t.item_id === null) throw notFound('item');
    return t;
  }

  async itemTally(slug: string, itemNumber: number, clause: string | undefined, verified: VerifiedFilter, user: AuthUser | undefined): Promise<TallyView> {
    const t = await this.readable(slug, itemNumber, user);
    if (clause !== undefined) await checkClause(this.repo, { item_id: t.item_id!, item_number: itemNumber }, clause, 'clause');
    const rows = await this.repo.targetCounts(t.consultation_id, itemNumber, clause ?? ITEM_TARGET, verified === 'any');
    return toTallyView({ item: itemNumber, clause: clause ?? null }, rows, verified, t.consultation_status === 'closed');
  }

  /** The default (verified-only) tally of one target inside a writing transaction, for `tally.updated`. */
  async tallyInTransaction(tx: EntityManager, consultationId: string, itemNumber: number, clauseKey: string): Promise<TallyView> {
    const rows = await this.repo.targetCounts(consultationId, itemNumber, clauseKey, false, tx);
    return toTallyView({ item: itemNumber, clause: clauseKey === ITEM_TARGET ? null : clauseKey }, rows, 'verified', false);
  }

  /**
   * For whoever changes a participant's group or verification (the triggers have already moved
   * the counts): publishes `tally.updated` for every target the participant has a position on,
   * so that live viewers see the change. Call it last in the same transaction, after the UPDATE
   * of the user. Returns the number of events.
   */
  /**
   * For whoever is about to change a participant's group or verification: takes, first in the
   * transaction, the counters of every consultation the participant has positions in (in the
   * order every writer uses), so that the counts the change moves are never locked in the
   * opposite order by a position or comment write.
   */
  async participantConsultations(tx: EntityManager, userId: string): Promise<string[]> {
    const rows: { consultation_id: string }[] = await tx.query(`SELECT DISTINCT consultation_id FROM positions WHERE user_id = $1`, [userId]);
    return rows.map((r) => r.consultation_id);
  }

  async publishParticipantTallies(tx: EntityManager, outbox: Outbox, userId: string): Promise<number> {
    const targets = await this.repo.targetsOfParticipant(tx, userId);
    const byConsultation = new Map<string, typeof targets>();
    for (const t of targets) byConsultation.set(t.consultation_id, [...(byConsultation.get(t.consultation_id) ?? []), t]);
    let n = 0;
    for (const [consultationId, list] of byConsultation) {
      // Hold the seq counter before reading the counts, as a position change does, so no later event carries older counts.
      const status = await this.repo.lockConsultation(tx, consultationId);
      if (status === 'draft') continue;
      const events = [];
      for (const t of list) {
        const rows = await this.repo.targetCounts(consultationId, t.item_number, t.clause_key, false, tx);
        const tally = toTallyView({ item: t.item_number, clause: t.clause_key === ITEM_TARGET ? null : t.clause_key }, rows, 'verified', status === 'closed');
        events.push({ itemNumber: t.item_number, type: 'tally.updated' as const, payload: { tally } });
      }
      n += (await outbox.appendMany(consultationId, events)).length;
    }
    return n;
  }

  async consultationTally(slug: string, verified: VerifiedFilter, user: AuthUser | undefined): Promise<ConsultationTallyView> {
    const t = await this.readable(slug, null, user);
    const anyone = verified === 'any';
    const [items, clauses, counts, coverageRows] = await Promise.all([
      this.documents.findItems(t.consultation_id),
      this.documents.findClauses(t.consultation_id),
      this.repo.documentCounts(t.consultation_id, anyone),
      this.repo.coverageCounts(t.consultation_id, anyone),
    ]);
    const final = t.consultation_status === 'closed';

    const byTarget = new Map<string, CountsByGroup>();
    for (const r of counts) {
      const key = `${r.item_number}|${r.clause_key}`;
      byTarget.set(key, countsFromRows([r], byTarget.get(key) ?? {}));
    }
    const coverage: Record<string, Record<StakeholderGroup, number>> = {};
    for (const i of items) coverage[String(i.number)] = emptyCoverage();
    for (const r of coverageRows) {
      const c = coverage[String(r.item_number)];
      if (c && (STAKEHOLDER_GROUPS as readonly string[]).includes(r.group)) c[r.group] += r.n;
    }
    const clausesOf = new Map<number, string[]>();
    for (const c of clauses) clausesOf.set(c.item_number, [...(clausesOf.get(c.item_number) ?? []), c.key]);

    const itemTallies = items.map((i): ItemTallyView => ({
      ...toTallyView({ item: i.number, clause: null }, byTarget.get(`${i.number}|${ITEM_TARGET}`) ?? {}, verified, final),
      clauses: (clausesOf.get(i.number) ?? []).map((key) => toTallyView({ item: i.number, clause: key }, byTarget.get(`${i.number}|${key}`) ?? {}, verified, final)),
      coverage: coverage[String(i.number)]!,
    }));
    return {
      slug,
      status: t.consultation_status,
      final,
      verified,
      items: itemTallies,
      coverage,
      dividedItems: itemTallies.filter((i) => i.divided).map((i) => i.target.item),
      consensusItems: itemTallies.filter((i) => i.consensus).map((i) => i.target.item),
    };
  }

  /** Recounts every tally and coverage figure of a consultation from its positions and compares with the kept counts. */
  async check(slug: string): Promise<TallyCheckView> {
    const t = await this.repo.findTarget(slug, null);
    if (!t) throw notFound('consultation');
    const [tally, coverage, positions] = await Promise.all([
      this.repo.recountTally(t.consultation_id),
      this.repo.recountCoverage(t.consultation_id),
      this.repo.countPositions(t.consultation_id),
    ]);
    return {
      ok: tally.length === 0 && coverage.length === 0,
      positions,
      tallyMismatches: tally.map((r) => ({
        item: r.item_number,
        clause: r.clause_key === ITEM_TARGET ? null : r.clause_key,
        group: r.group,
        verified: r.verified,
        stance: r.stance,
        kept: Number(r.kept),
        actual: Number(r.actual),
      })),
      coverageMismatches: coverage.map((r) => ({ item: r.item_number, group: r.group, verified: r.verified, kept: Number(r.kept), actual: Number(r.actual) })),
    };
  }
}
