import type { CommentStatus, Role, StakeholderGroup, Stance } from './vocabulary.js';

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
}

export interface PositionView {
  item: number;
  clauseKey: string | null;
  stance: Stance;
  reason: string | null;
  updatedAt: string;
}
