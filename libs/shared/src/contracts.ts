import type { CommentStatus, ConsultationStatus, Role, StakeholderGroup, Stance } from './vocabulary.js';

/** The response shapes of the API (api-contract.md); REST and socket payloads use the same objects. */

export interface UserView {
  id: string;
  email: string;
  displayName: string;
  stakeholderGroup: StakeholderGroup;
  organization: string | null;
  country: string | null;
  verified: boolean;
  role: Role;
  suspendedUntil: string | null;
}

export interface AuthorView {
  id: string;
  displayName: string;
  stakeholderGroup: StakeholderGroup;
  organization: string | null;
  verified: boolean;
}

export interface QuoteSelector {
  lang: 'zh' | 'en';
  exact: string;
  prefix?: string;
  suffix?: string;
  start: number;
  end: number;
}

export interface CommentView {
  id: number;
  itemNumber: number;
  clauseKey: string | null;
  quote: QuoteSelector | null;
  parentId: number | null;
  depth: number;
  body: string | null;
  author: AuthorView;
  status: CommentStatus;
  hiddenReason: string | null;
  createdAt: string;
  editedAt: string | null;
}

export interface GroupTally {
  support: number;
  support_with_amendments: number;
  oppose: number;
  abstain: number;
  total: number;
  supportRatio: number | null;
}

export interface TallyView {
  target: { item: number; clause: string | null };
  byGroup: Record<StakeholderGroup, GroupTally>;
  balancedSupport: number | null;
  consensus: boolean;
  divided: boolean;
  participants: number;
  /** The rules the figures were computed with. */
  rules: { minPerGroup: number; threshold: number; dividedGap: number; verified: 'verified' | 'any' };
  /** The consultation is closed: these figures are final. */
  final: boolean;
}

/** An item's tally in the document tally, with its clauses' tallies and its coverage. */
export interface ItemTallyView extends TallyView {
  clauses: TallyView[];
  /** Participants of each group with any position on the item or one of its clauses. */
  coverage: Record<StakeholderGroup, number>;
}

/** GET /consultations/:slug/tally */
export interface ConsultationTallyView {
  slug: string;
  status: ConsultationStatus;
  /** The consultation is closed: the figures are final. */
  final: boolean;
  verified: 'verified' | 'any';
  items: ItemTallyView[];
  /** `coverage[item][group]`: participants of the group with any position on the item or its clauses. */
  coverage: Record<string, Record<StakeholderGroup, number>>;
  /** Item numbers whose item tally is divided / has consensus. */
  dividedItems: number[];
  consensusItems: number[];
}

/** GET /admin/consultations/:slug/tally-check: the kept counts recounted from the positions. */
export interface TallyCheckView {
  ok: boolean;
  positions: number;
  tallyMismatches: { item: number; clause: string | null; group: string; verified: boolean; stance: string; kept: number; actual: number }[];
  coverageMismatches: { item: number; group: string; verified: boolean; kept: number; actual: number }[];
}

/** One position in the export (no e-mail addresses). */
export interface PositionExportRow {
  participant: string;
  stakeholderGroup: StakeholderGroup;
  organization: string | null;
  verified: boolean;
  item: number;
  clause: string | null;
  stance: Stance;
  reason: string | null;
  updatedAt: string;
}

export interface PositionView {
  item: number;
  clauseKey: string | null;
  stance: Stance;
  reason: string | null;
  updatedAt: string;
}
