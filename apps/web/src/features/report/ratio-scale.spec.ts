import { ratioBin, supportCounts } from './ratio-scale';

describe('the consensus map colour classes', () => {
  it('puts a support ratio in one of five classes of 20 points, and none when there is no ratio', () => {
    expect([0, 0.19, 0.2, 0.39, 0.4, 0.59, 0.6, 0.79, 0.8, 1].map(ratioBin)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    expect(ratioBin(null)).toBe('none');
  });

  it('rounds to 6 decimals like the tally rules, so 3/5 computed as 0.6 or 0.59999999 is in the 60% class', () => {
    expect(ratioBin(0.7 - 0.1)).toBe(3);
    expect(ratioBin(0.5999999999)).toBe(3);
    expect(ratioBin(0.599999)).toBe(2);
  });

  it('counts supporting positions out of all but abstentions', () => {
    expect(supportCounts({ support: 2, support_with_amendments: 1, oppose: 1, abstain: 5, total: 9, supportRatio: 0.75 })).toEqual({ supporting: 3, counted: 4 });
  });
});
