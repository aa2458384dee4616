/** The words of product.md, defined once for the API and the web client. */

export const STAKEHOLDER_GROUPS = ['government', 'industry', 'academia', 'civil_society'] as const;
export type StakeholderGroup = (typeof STAKEHOLDER_GROUPS)[number];

export const STANCES = ['support', 'support_with_amendments', 'oppose', 'abstain'] as const;
export type Stance = (typeof STANCES)[number];

export const ROLES = ['participant', 'moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const CONSULTATION_STATUSES = ['draft', 'open', 'closed'] as const;
export type ConsultationStatus = (typeof CONSULTATION_STATUSES)[number];

export const COMMENT_STATUSES = ['visible', 'hidden', 'deleted'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

export const FLAG_REASONS = ['spam', 'abuse', 'off_topic', 'other'] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];

/** `unsuspend` lifts a suspension early (suspend with `until: null`); `dismiss` closes a comment's flags without hiding it. */
export const MODERATION_ACTIONS = ['hide', 'restore', 'lock', 'unlock', 'suspend', 'unsuspend', 'dismiss'] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

export const LANGUAGES = ['zh', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The slug of the document seeded at first start. */
export const SEEDED_CONSULTATION_SLUG = 'ai-governance-action-plan';

/** A clause key is `<item>.<n>`, e.g. `13.2`. */
export const CLAUSE_KEY_PATTERN = /^(0|[1-9]\d{0,2})\.([1-9]\d{0,2})$/;

export function clauseKey(itemNumber: number, clauseNumber: number): string {
  return `${itemNumber}.${clauseNumber}`;
}

/** The item number a clause key belongs to, or null when the key is malformed. */
export function itemOfClauseKey(key: string): number | null {
  const m = CLAUSE_KEY_PATTERN.exec(key);
  return m ? Number(m[1]) : null;
}
