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
import type { AuthUser } from '../../common/auth/auth-user.js';
import type { Outbox } from '../../database/consultation-writes.js';
import { ConsultationsService } from '../consultations/consultations.service.js';
import { TargetsService } from '../consultations/targets.service.js';
import { emptyCoverage, toTallyView, type VerifiedFilter } from './positions.mapper.js';
import { ITEM_TARGET, PositionsRepository } from './positions.repository.js';

/**
 * Tallies read from the kept counts (never from the positions), so a read costs the same at a
 * thousand positions or a million; and the check that recounts the positions.
 */
@Injectable()
export class TallyService {
  constructor(
    private readonly repo: PositionsRepository,
    private readonly consultations: ConsultationsService,
    private readonly targets: TargetsService,
  ) {}

  async itemTally(slug: string, itemNumber: number, clause: string | undefined, verified: VerifiedFilter, user: AuthUser | undefined): Promise<TallyView> {
    const { consultation } = await this.targets.readableTarget({ slug }, { item: itemNumber, clause: clause ?? null, clauseField: 'clause' }, user);
    const rows = await this.repo.targetCounts(consultation.id, itemNumber, clause ?? ITEM_TARGET, verified === 'any');
    return toTallyView({ item: itemNumber, clause: clause ?? null }, rows, verified, consultation.status === 'closed');
  }

  /** The default (verified-only) tally of one target inside a writing transaction, for `tally.updated`. */
  async tallyInTransaction(tx: EntityManager, consultationId: string, itemNumber: number, clauseKey: string): Promise<TallyView> {
    const rows = await this.repo.targetCounts(consultationId, itemNumber, clauseKey, false, tx);
    return toTallyView({ item: itemNumber, clause: clauseKey === ITEM_TARGET ? null : clauseKey }, rows, 'verified', false);
  }

  /**
   * For whoever is about to change a participant's group or verification: takes, first in the
   * transaction, the counters of every consultation the participant has positions in (in the
   * order every writer uses), so that the counts the change moves are never locked in the
   * opposite order by a position or comment write.
   */
  participantConsultations(tx: EntityManager, userId: string): Promise<string[]> {
    return this.repo.consultationsOfParticipant(tx, userId);
  }

  /**
   * For whoever changes a participant's group or verification (the triggers have already moved
   * the counts): publishes `tally.updated` for every target the participant has a position on,
   * so that live viewers see the change. Call it last in the same transaction (ConsultationWrites
   * .runAcross, which holds the counters of participantConsultations), after the UPDATE of the
   * user. Returns the number of events.
   */
  async publishParticipantTallies(tx: EntityManager, outbox: Outbox, userId: string): Promise<number> {
    const targets = await this.repo.targetsOfParticipant(tx, userId);
    const byConsultation = new Map<string, typeof targets>();
    for (const t of targets) byConsultation.set(t.consultation_id, [...(byConsultation.get(t.consultation_id) ?? []), t]);
    const statuses = await this.consultations.statuses([...byConsultation.keys()], tx);
    let n = 0;
    for (const [consultationId, list] of byConsultation) {
      const status = statuses.get(consultationId);
      if (status === undefined || status === 'draft') continue;
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
    const { consultation } = await this.targets.readableTarget({ slug }, {}, user);
    const anyone = verified === 'any';
    const [{ items, clauses }, counts, coverageRows] = await Promise.all([
      this.consultations.outline(consultation.id),
      this.repo.documentCounts(consultation.id, anyone),
      this.repo.coverageCounts(consultation.id, anyone),
    ]);
    const final = consultation.status === 'closed';

    const byTarget = new Map<string, CountsByGroup>();
    for (const r of counts) {
      const key = `${r.item_number}|${r.clause_key}`;
      byTarget.set(key, countsFromRows([r], byTarget.get(key) ?? {}));
    }
    const coverage: Record<string, Record<StakeholderGroup, number>> = {};
    for (const i of items) coverage[String(i)] = emptyCoverage();
    for (const r of coverageRows) {
      const c = coverage[String(r.item_number)];
      if (c && (STAKEHOLDER_GROUPS as readonly string[]).includes(r.group)) c[r.group] += r.n;
    }
    const clausesOf = new Map<number, string[]>();
    for (const c of clauses) clausesOf.set(c.item, [...(clausesOf.get(c.item) ?? []), c.key]);

    const itemTallies = items.map((i): ItemTallyView => ({
      ...toTallyView({ item: i, clause: null }, byTarget.get(`${i}|${ITEM_TARGET}`) ?? {}, verified, final),
      clauses: (clausesOf.get(i) ?? []).map((key) => toTallyView({ item: i, clause: key }, byTarget.get(`${i}|${key}`) ?? {}, verified, final)),
      coverage: coverage[String(i)]!,
    }));
    return {
      slug,
      status: consultation.status,
      final,
      verified,
      items: itemTallies,
      coverage,
      dividedItems: itemTallies.filter((i) => i.divided).map((i) => i.target.item),
      consensusItems: itemTallies.filter((i) => i.consensus).map((i) => i.target.item),
    };
  }

  /** Recounts every tally and coverage figure of a consultation from its positions and compares with the kept counts. */
  async check(slug: string, admin: AuthUser): Promise<TallyCheckView> {
    const { consultation } = await this.targets.readableTarget({ slug }, {}, admin);
    const [tally, coverage, positions] = await Promise.all([
      this.repo.recountTally(consultation.id),
      this.repo.recountCoverage(consultation.id),
      this.repo.countPositions(consultation.id),
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
