import type { CommentRevisionView, CommentView } from '@forum/shared';
import { canSeeCommentBody, type CommentViewer } from './comment-visibility.js';
import type { CommentRow, RevisionRow } from './discussion.repository.js';

/**
 * The one response form of a comment, for REST and live events alike. The body is shown only
 * where canSeeCommentBody allows; a hidden comment always carries its reason.
 */
export function toCommentView(row: CommentRow, viewer: CommentViewer): CommentView {
  return {
    id: Number(row.id),
    itemNumber: row.item_number,
    clauseKey: row.clause_key,
    quote: row.quote,
    parentId: row.parent_id === null ? null : Number(row.parent_id),
    depth: row.depth,
    body: canSeeCommentBody(row, viewer) ? row.body : null,
    author: {
      id: row.author_id,
      displayName: row.author_display_name,
      stakeholderGroup: row.author_stakeholder_group,
      organization: row.author_organization,
      verified: row.author_verified,
    },
    status: row.status,
    hiddenReason: row.status === 'hidden' ? row.hidden_reason : null,
    createdAt: new Date(row.created_at).toISOString(),
    editedAt: row.edited_at ? new Date(row.edited_at).toISOString() : null,
  };
}

/** What anyone may receive: live events, exports, the report. */
export function toPublicCommentView(row: CommentRow): CommentView {
  return toCommentView(row, 'public');
}

export function toRevisionView(r: RevisionRow): CommentRevisionView {
  return { body: r.body, editedAt: new Date(r.written_at).toISOString(), replacedAt: new Date(r.replaced_at).toISOString() };
}

/** An opaque cursor: the id of the last comment of the page. */
export function encodeCursor(lastId: number): string {
  return Buffer.from(`after:${lastId}`, 'utf8').toString('base64url');
}

/** The id a cursor stands for, or null when it is not one of ours. */
export function decodeCursor(cursor: string): number | null {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) return null;
  const m = /^after:([1-9]\d{0,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) return null;
  const id = Number(m[1]);
  return Number.isSafeInteger(id) ? id : null;
}
