import type { GroupTally } from './contracts.js';
import { STAKEHOLDER_GROUPS, STANCES, type StakeholderGroup, type Stance } from './vocabulary.js';

/**
 * The tally figures of product.md ("Tally figures"), computed once for the API, the web client,
 * the report and the export. Pure functions over counts by stakeholder group × stance.
 */

export interface TallyRules {
  /** Non-abstaining positions every group needs before there can be consensus. */
  minPerGroup: number;
  /** The support ratio every group needs for consensus. */
  threshold: number;
  /** The gap between the most and least supportive groups that makes a target divided. */
  dividedGap: number;
}

export const DEFAULT_TALLY_RULES: Readonly<TallyRules> = Object.freeze({ minPerGroup: 3, threshold: 0.6, dividedGap: 0.4 });

export type StanceCounts = Record<Stance, number>;
/** Counts as they come from storage: a missing group or stance counts 0. */
export type CountsByGroup = Partial<Record<StakeholderGroup, Partial<StanceCounts>>>;

export interface TallyFigures {
  byGroup: Record<StakeholderGroup, GroupTally>;
  balancedSupport: number | null;
  consensus: boolean;
  divided: boolean;
  /** Participants counted: every position on the target, abstentions included (one per participant). */
  participants: number;
}

/** Thresholds are compared on values rounded to 6 decimals, so that 0.7 − 0.3 counts as 0.4. */
export function roundForComparison(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** `a >= b` on values rounded to 6 decimals. */
export function atLeast(a: number, b: number): boolean {
  return roundForComparison(a) >= roundForComparison(b);
}

export function emptyStanceCounts(): StanceCounts {
  return { support: 0, support_with_amendments: 0, oppose: 0, abstain: 0 };
}

/** Positions that take a side: everything but abstentions. */
export function nonAbstaining(c: Partial<StanceCounts>): number {
  return (c.support ?? 0) + (c.support_with_amendments ?? 0) + (c.oppose ?? 0);
}

/** `(support + support_with_amendments) / (support + support_with_amendments + oppose)`, null when nobody took a side. */
export function supportRatio(c: Partial<StanceCounts>): number | null {
  const denominator = nonAbstaining(c);
  if (denominator === 0) return null;
  return ((c.support ?? 0) + (c.support_with_amendments ?? 0)) / denominator;
}

export function groupTally(c: Partial<StanceCounts> | undefined): GroupTally {
  const counts = { ...emptyStanceCounts(), ...(c ?? {}) };
  const total = STANCES.reduce((n, s) => n + counts[s], 0);
  return {
    support: counts.support,
    support_with_amendments: counts.support_with_amendments,
    oppose: counts.oppose,
    abstain: counts.abstain,
    total,
    supportRatio: supportRatio(counts),
  };
}

/** Every group, always: a group with no positions has zero counts and a null ratio. */
export function byGroup(counts: CountsByGroup): Record<StakeholderGroup, GroupTally> {
  return Object.fromEntries(STAKEHOLDER_GROUPS.map((g) => [g, groupTally(counts[g])])) as Record<StakeholderGroup, GroupTally>;
}

function ratios(groups: Record<StakeholderGroup, GroupTally>): number[] {
  return STAKEHOLDER_GROUPS.map((g) => groups[g].supportRatio).filter((r): r is number => r !== null);
}

/** The mean of the groups' support ratios over the groups that have one: every group weighs the same. */
export function balancedSupport(groups: Record<StakeholderGroup, GroupTally>): number | null {
  const rs = ratios(groups);
  if (rs.length === 0) return null;
  return rs.reduce((a, b) => a + b, 0) / rs.length;
}

/** All four groups have at least `minPerGroup` non-abstaining positions and a support ratio of at least `threshold`. */
export function isConsensus(groups: Record<StakeholderGroup, GroupTally>, rules: TallyRules = DEFAULT_TALLY_RULES): boolean {
  return STAKEHOLDER_GROUPS.every((g) => {
    const t = groups[g];
    return nonAbstaining(t) >= rules.minPerGroup && t.supportRatio !== null && atLeast(t.supportRatio, rules.threshold);
  });
}

/** The most and the least supportive groups (of those with a ratio) are at least `dividedGap` apart. */
export function isDivided(groups: Record<StakeholderGroup, GroupTally>, rules: TallyRules = DEFAULT_TALLY_RULES): boolean {
  const rs = ratios(groups);
  if (rs.length < 2) return false;
  return atLeast(Math.max(...rs) - Math.min(...rs), rules.dividedGap);
}

export function computeTally(counts: CountsByGroup, rules: TallyRules = DEFAULT_TALLY_RULES): TallyFigures {
  const groups = byGroup(counts);
  return {
    byGroup: groups,
    balancedSupport: balancedSupport(groups),
    consensus: isConsensus(groups, rules),
    divided: isDivided(groups, rules),
    participants: STAKEHOLDER_GROUPS.reduce((n, g) => n + groups[g].total, 0),
  };
}

/** Adds rows `{group, stance, n}` (as read from the kept counts) into counts by group; unknown words are ignored. */
export function countsFromRows(rows: Iterable<{ group: string; stance: string; n: number }>, into: CountsByGroup = {}): CountsByGroup {
  for (const r of rows) {
    if (!(STAKEHOLDER_GROUPS as readonly string[]).includes(r.group) || !(STANCES as readonly string[]).includes(r.stance)) continue;
    const g = r.group as StakeholderGroup;
    const s = r.stance as Stance;
    const c = (into[g] ??= {});
    c[s] = (c[s] ?? 0) + r.n;
  }
  return into;
}
