import {
  atLeast,
  balancedSupport,
  byGroup,
  computeTally,
  countsFromRows,
  DEFAULT_TALLY_RULES,
  groupTally,
  isConsensus,
  isDivided,
  roundForComparison,
  supportRatio,
  type CountsByGroup,
} from './tally.js';
import { STAKEHOLDER_GROUPS } from './vocabulary.js';

const all = (c: { support?: number; support_with_amendments?: number; oppose?: number; abstain?: number }): CountsByGroup => ({
  government: c,
  industry: c,
  academia: c,
  civil_society: c,
});

describe('supportRatio', () => {
  it('is (support + support_with_amendments) / (those + oppose)', () => {
    expect(supportRatio({ support: 1, support_with_amendments: 2, oppose: 1 })).toBe(0.75);
    expect(supportRatio({ support: 0, support_with_amendments: 0, oppose: 4 })).toBe(0);
    expect(supportRatio({ support_with_amendments: 3 })).toBe(1);
  });

  it('leaves abstentions out of the ratio', () => {
    expect(supportRatio({ support: 1, oppose: 1, abstain: 10 })).toBe(0.5);
  });

  it('is null when nobody took a side, abstentions or not', () => {
    expect(supportRatio({})).toBeNull();
    expect(supportRatio({ abstain: 5 })).toBeNull();
  });

  it('is returned unrounded', () => {
    expect(supportRatio({ support: 2, oppose: 1 })).toBe(2 / 3);
  });
});

describe('groupTally and byGroup', () => {
  it('counts every stance, abstentions in the total', () => {
    expect(groupTally({ support: 1, support_with_amendments: 2, oppose: 3, abstain: 4 })).toEqual({
      support: 1,
      support_with_amendments: 2,
      oppose: 3,
      abstain: 4,
      total: 10,
      supportRatio: 0.5,
    });
  });

  it('always lists all four groups, an empty group with zeros and a null ratio', () => {
    const g = byGroup({ industry: { support: 1 } });
    expect(Object.keys(g).sort()).toEqual([...STAKEHOLDER_GROUPS].sort());
    expect(g.government).toEqual({ support: 0, support_with_amendments: 0, oppose: 0, abstain: 0, total: 0, supportRatio: null });
    expect(g.industry.supportRatio).toBe(1);
  });
});

describe('balancedSupport', () => {
  it('is the mean of the groups that have a ratio, each group weighing the same', () => {
    // industry brought 100 supporters, government one opponent: 50 %, not 99 %.
    const t = computeTally({ industry: { support: 100 }, government: { oppose: 1 } });
    expect(t.balancedSupport).toBe(0.5);
  });

  it('skips groups without a ratio (empty or abstaining only)', () => {
    const t = computeTally({ industry: { support: 1, oppose: 1 }, academia: { abstain: 3 } });
    expect(t.balancedSupport).toBe(0.5);
  });

  it('is null when no group has a ratio', () => {
    expect(computeTally({}).balancedSupport).toBeNull();
    expect(computeTally({ academia: { abstain: 2 } }).balancedSupport).toBeNull();
    expect(balancedSupport(byGroup({}))).toBeNull();
  });

  it('is unrounded', () => {
    const t = computeTally({ industry: { support: 2, oppose: 1 }, academia: { support: 1 }, government: { oppose: 1 } });
    expect(t.balancedSupport).toBe((2 / 3 + 1 + 0) / 3);
  });
});

describe('consensus', () => {
  it('holds when all four groups have ≥ 3 non-abstaining positions and ratio ≥ 0.6', () => {
    expect(computeTally(all({ support: 3 })).consensus).toBe(true);
    // exactly at the threshold: 3 of 5
    expect(computeTally(all({ support: 2, support_with_amendments: 1, oppose: 2 })).consensus).toBe(true);
  });

  it('fails when one group is below the threshold', () => {
    const c = all({ support: 3 });
    c.academia = { support: 1, oppose: 1, support_with_amendments: 1 }; // 2/3 ≥ 0.6 still
    expect(computeTally(c).consensus).toBe(true);
    c.academia = { support: 1, oppose: 2 }; // 1/3
    expect(computeTally(c).consensus).toBe(false);
  });

  it('fails when a group is missing or too small, however supportive', () => {
    const missing = all({ support: 5 });
    delete missing.civil_society;
    expect(computeTally(missing).consensus).toBe(false);
    const small = all({ support: 5 });
    small.government = { support: 2 };
    expect(computeTally(small).consensus).toBe(false);
  });

  it('does not count abstentions towards the per-group minimum', () => {
    const c = all({ support: 3 });
    c.industry = { support: 2, abstain: 10 };
    expect(computeTally(c).consensus).toBe(false);
    c.industry = { support: 3, abstain: 10 };
    expect(computeTally(c).consensus).toBe(true);
  });

  it('is false with no positions at all', () => {
    expect(computeTally({}).consensus).toBe(false);
  });

  it('honours other rules', () => {
    const groups = byGroup(all({ support: 1 }));
    expect(isConsensus(groups)).toBe(false);
    expect(isConsensus(groups, { ...DEFAULT_TALLY_RULES, minPerGroup: 1 })).toBe(true);
    const three = byGroup(all({ support: 3, oppose: 2 })); // 0.6
    expect(isConsensus(three, { ...DEFAULT_TALLY_RULES, threshold: 0.61 })).toBe(false);
  });

  it('compares the ratio with the threshold after rounding to 6 decimals', () => {
    // a ratio a hair under 0.6 (below the 6th decimal) counts as 0.6
    const groups = byGroup(all({ support: 3 }));
    for (const g of STAKEHOLDER_GROUPS) groups[g].supportRatio = 0.6 - 1e-9;
    expect(isConsensus(groups)).toBe(true);
    for (const g of STAKEHOLDER_GROUPS) groups[g].supportRatio = 0.599999;
    expect(isConsensus(groups)).toBe(false);
  });
});

describe('divided', () => {
  it('holds when the most and least supportive groups are ≥ 0.4 apart', () => {
    expect(computeTally({ industry: { support: 1 }, academia: { oppose: 1 } }).divided).toBe(true);
    expect(computeTally({ industry: { support: 3, oppose: 1 }, academia: { support: 1, oppose: 1 } }).divided).toBe(false); // 0.75 − 0.5
  });

  it('counts 0.7 − 0.3 as 0.4 (comparison on values rounded to 6 decimals)', () => {
    expect(0.7 - 0.3).toBeLessThan(0.4); // the floating-point trap itself
    const t = computeTally({ industry: { support: 7, oppose: 3 }, academia: { support: 3, oppose: 7 } });
    expect(t.byGroup.industry.supportRatio).toBe(0.7);
    expect(t.byGroup.academia.supportRatio).toBe(0.3);
    expect(t.divided).toBe(true);
  });

  it('is false just under the gap', () => {
    // 0.7 − 0.300001 = 0.399999
    const groups = byGroup({ industry: { support: 1 }, academia: { support: 1 } });
    groups.industry.supportRatio = 0.7;
    groups.academia.supportRatio = 0.300001;
    expect(isDivided(groups)).toBe(false);
  });

  it('only looks at groups with a ratio; one group or none is never divided', () => {
    expect(computeTally({ industry: { support: 1 }, academia: { abstain: 4 } }).divided).toBe(false);
    expect(computeTally({ industry: { oppose: 9 } }).divided).toBe(false);
    expect(computeTally({}).divided).toBe(false);
  });

  it('can hold together with small groups (no per-group minimum)', () => {
    const t = computeTally({ government: { support: 1 }, civil_society: { support: 1, oppose: 1 }, industry: { oppose: 1 } });
    expect(t.divided).toBe(true);
    expect(t.consensus).toBe(false);
  });
});

describe('computeTally', () => {
  it('counts participants, abstentions included', () => {
    expect(computeTally({ industry: { support: 2, abstain: 1 }, academia: { oppose: 1 } }).participants).toBe(4);
    expect(computeTally({}).participants).toBe(0);
  });

  it('gives the full figures of a known set', () => {
    const t = computeTally({
      government: { support: 3, support_with_amendments: 1, oppose: 0, abstain: 1 },
      industry: { support: 1, oppose: 3 },
      academia: { support_with_amendments: 2, oppose: 2 },
    });
    expect(t.byGroup.government).toEqual({ support: 3, support_with_amendments: 1, oppose: 0, abstain: 1, total: 5, supportRatio: 1 });
    expect(t.byGroup.industry.supportRatio).toBe(0.25);
    expect(t.byGroup.academia.supportRatio).toBe(0.5);
    expect(t.byGroup.civil_society.supportRatio).toBeNull();
    expect(t.balancedSupport).toBeCloseTo((1 + 0.25 + 0.5) / 3, 12);
    expect(t.consensus).toBe(false);
    expect(t.divided).toBe(true);
    expect(t.participants).toBe(13);
  });
});

describe('helpers', () => {
  it('rounds to 6 decimals for comparisons', () => {
    expect(roundForComparison(0.7 - 0.3)).toBe(0.4);
    expect(roundForComparison(2 / 3)).toBe(0.666667);
    expect(atLeast(0.7 - 0.3, 0.4)).toBe(true);
    expect(atLeast(0.3999996, 0.4)).toBe(true);
    expect(atLeast(0.3999994, 0.4)).toBe(false);
    expect(atLeast(0.3999949, 0.4)).toBe(false);
  });

  it('adds storage rows into counts, ignoring unknown words', () => {
    const c = countsFromRows([
      { group: 'industry', stance: 'support', n: 2 },
      { group: 'industry', stance: 'support', n: 1 },
      { group: 'academia', stance: 'oppose', n: 4 },
      { group: 'aliens', stance: 'support', n: 9 },
      { group: 'academia', stance: 'maybe', n: 9 },
    ]);
    expect(c).toEqual({ industry: { support: 3 }, academia: { oppose: 4 } });
  });
});
