import type { GroupTally, Stance } from '@forum/shared';

/**
 * The support ratio in five classes of 20 points, coloured in CSS with a diverging orange–purple
 * scale (ColorBrewer PuOr, safe for the common colour-vision deficiencies). The figures are always
 * written in the cell too, so the colour only repeats them.
 */
export type RatioBin = 0 | 1 | 2 | 3 | 4 | 'none';
export const RATIO_BINS: RatioBin[] = [0, 1, 2, 3, 4, 'none'];

export function ratioBin(ratio: number | null): RatioBin {
  if (ratio === null || Number.isNaN(ratio)) return 'none';
  // Rounded like the API's threshold comparisons, so 0.6 made of 0.6000000001 lands in class 3.
  const r = Math.round(ratio * 1e6) / 1e6;
  return Math.min(4, Math.floor(r * 5)) as RatioBin;
}

/** Positions that count towards the ratio: supporting (support + with amendments) out of all but abstentions. */
export function supportCounts(g: GroupTally): { supporting: number; counted: number } {
  const supporting = g.support + g.support_with_amendments;
  return { supporting, counted: supporting + g.oppose };
}

/** Okabe–Ito colours for the stances in the stacked bars (distinct for the common colour-vision deficiencies). */
export const STANCE_COLOURS: Record<Stance, string> = {
  support: '#0072B2',
  support_with_amendments: '#56B4E9',
  oppose: '#D55E00',
  abstain: '#A8A8A8',
};
