import type {
  CommentView,
  FlagView,
  ModerationContext,
  ModerationLogEntry,
  ModerationTarget,
  NotificationView,
  PublicModerationLogEntry,
  SuspensionView,
} from '@forum/shared';
import { toCommentView } from '../discussion/discussion.mapper.js';
import type { ContextRow, ModerationCommentRow } from '../discussion/discussion.service.js';
import type { UserRow } from '../participants/participants.service.js';
import type { FlagRow, LogRow } from './moderation.repository.js';
import type { NotificationRow } from './notifications.repository.js';

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

/** How much of a parent comment the queue shows for context. */
export const PARENT_EXCERPT_CHARS = 200;

/**
 * A comment as moderators judge it. Everything but the body follows the one visibility rule
 * (comment-visibility.ts, through toCommentView); the body is the exception that rule names:
 * moderators read hidden text through moderation's own views to decide on it. A deleted
 * comment's text was withdrawn by its author and stays withdrawn here too.
 */
export function toModerationCommentView(row: ModerationCommentRow): CommentView {
  return { ...toCommentView(row, 'public'), body: row.status === 'deleted' ? null : row.body };
}

export function toContext(row: ModerationCommentRow, ctx: ContextRow, parent: ModerationCommentRow | null): ModerationContext {
  const parentView = parent ? toModerationCommentView(parent) : null;
  return {
    consultation: { slug: row.consultation_slug, title: { zh: ctx.consultation_title_zh, en: ctx.consultation_title_en } },
    item: { number: row.item_number, title: { zh: ctx.item_title_zh, en: ctx.item_title_en }, locked: ctx.item_locked },
    clause: row.clause_key !== null && ctx.clause_text_zh !== null ? { key: row.clause_key, text: { zh: ctx.clause_text_zh, en: ctx.clause_text_en ?? '' } } : null,
    parent: parentView
      ? {
          id: parentView.id,
          status: parentView.status,
          author: parentView.author,
          excerpt: parentView.body === null ? null : excerpt(parentView.body, PARENT_EXCERPT_CHARS),
        }
      : null,
  };
}

/** The first `max` characters, cut between code points, with an ellipsis when cut. */
export function excerpt(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}

export function toFlagView(f: FlagRow): FlagView {
  return {
    id: Number(f.id),
    reason: f.reason,
    note: f.note,
    createdAt: iso(f.created_at)!,
    flagger: {
      id: f.flagger_id,
      displayName: f.flagger_display_name,
      stakeholderGroup: f.flagger_stakeholder_group,
      organization: f.flagger_organization,
      verified: f.flagger_verified,
    },
    resolution: f.resolution,
    resolvedAt: iso(f.resolved_at),
  };
}

/**
 * What an action was about. Public entries name no participant: an action on a comment points at
 * the comment (whose thread shows its author anyway), and a suspension shows its reason and end
 * but not whom it concerns — the public log accounts for what moderation does, it is not a
 * pillory. Moderators see whom each action concerned.
 */
function toTarget(l: LogRow, audience: 'moderators' | 'public'): ModerationTarget {
  const subject = l.subject_user_id !== null ? { id: l.subject_user_id, displayName: l.subject_display_name ?? '' } : null;
  switch (l.target_type) {
    case 'comment':
      return {
        type: 'comment',
        id: Number(l.comment_id),
        consultation: l.consultation_slug,
        item: l.item_number,
        clause: l.clause_key,
        user: audience === 'moderators' ? subject : null,
      };
    case 'item':
      return { type: 'item', id: l.item_number!, consultation: l.consultation_slug, item: l.item_number, clause: null, user: null };
    case 'user':
      return audience === 'moderators'
        ? { type: 'user', id: l.subject_user_id!, consultation: null, item: null, clause: null, user: subject }
        : { type: 'user', id: null, consultation: null, item: null, clause: null, user: null };
  }
}

/** The public form: built field by field, so that nothing about the moderator can slip in. */
export function toPublicLogEntry(l: LogRow): PublicModerationLogEntry {
  return { id: Number(l.id), at: iso(l.at)!, action: l.action, target: toTarget(l, 'public'), reason: l.reason, until: iso(l.until) };
}

export function toLogEntry(l: LogRow): ModerationLogEntry {
  return {
    id: Number(l.id),
    at: iso(l.at)!,
    moderator: { id: l.moderator_id, displayName: l.moderator_display_name, role: l.moderator_role },
    action: l.action,
    target: toTarget(l, 'moderators'),
    reason: l.reason,
    until: iso(l.until),
  };
}

export function toSuspensionView(u: Pick<UserRow, 'id' | 'display_name' | 'stakeholder_group' | 'organization' | 'role' | 'suspended_until'>): SuspensionView {
  return {
    id: u.id,
    displayName: u.display_name,
    stakeholderGroup: u.stakeholder_group,
    organization: u.organization,
    role: u.role,
    suspendedUntil: iso(u.suspended_until),
  };
}

export function toNotificationView(n: NotificationRow): NotificationView {
  return {
    id: Number(n.id),
    type: n.type,
    reason: n.reason,
    createdAt: iso(n.created_at)!,
    readAt: iso(n.read_at),
    comment: n.comment,
    until: iso(n.until),
  };
}
