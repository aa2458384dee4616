import {
  computeTally,
  countsFromRows,
  DEFAULT_TALLY_RULES,
  STAKEHOLDER_GROUPS,
  type CountsByGroup,
  type PositionView,
  type StakeholderGroup,
  type TallyView,
} from '@forum/shared';
import { ITEM_TARGET, type CountRow, type PositionRow } from './positions.repository.js';

export type VerifiedFilter = 'verified' | 'any';

export function toPositionView(row: PositionRow): PositionView {
  return {
    item: row.item_number,
    clauseKey: row.clause_key === ITEM_TARGET ? null : row.clause_key,
    stance: row.stance,
    reason: row.reason,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** One tally (REST and the `tally.updated` payload alike), the figures from libs/shared. */
export function toTallyView(
  target: { item: number; clause: string | null },
  counts: CountsByGroup | CountRow[],
  verified: VerifiedFilter,
  final: boolean,
): TallyView {
  const byGroupCounts = Array.isArray(counts) ? countsFromRows(counts) : counts;
  return {
    target: { item: target.item, clause: target.clause },
    ...computeTally(byGroupCounts, DEFAULT_TALLY_RULES),
    rules: { ...DEFAULT_TALLY_RULES, verified },
    final,
  };
}

export function emptyCoverage(): Record<StakeholderGroup, number> {
  return Object.fromEntries(STAKEHOLDER_GROUPS.map((g) => [g, 0])) as Record<StakeholderGroup, number>;
}
